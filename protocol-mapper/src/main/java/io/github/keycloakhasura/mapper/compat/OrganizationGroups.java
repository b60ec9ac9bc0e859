package io.github.keycloakhasura.mapper.compat;

import org.keycloak.models.GroupModel;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.stream.Stream;

/**
 * Organization groups, which Keycloak has since 26.6 ({@code OrganizationProvider.getOrganizationGroupsByMember});
 * 26.4 and 26.5 have none. The protocol-mapper jar compiles against 26.4 (like the {@code compat} package of the
 * GraphQL jar, which it cannot reach), so the method is looked up once here and, where it is missing, every user is
 * in no organization group: the rest of the organization rules answer the same on every release.
 */
public final class OrganizationGroups {

    /** {@code getOrganizationGroupsByMember(OrganizationModel, UserModel)} when this Keycloak has it, else null. */
    private static final MethodHandle BY_MEMBER = find();

    private OrganizationGroups() {
    }

    /** Whether this Keycloak has organization groups (26.6+). */
    public static boolean supported() {
        return BY_MEMBER != null;
    }

    /** The names of {@code user}'s groups in {@code organization} (and their sub-groups); none before Keycloak 26.6. */
    @SuppressWarnings("unchecked")
    public static List<String> names(OrganizationProvider provider, OrganizationModel organization, UserModel user) {
        if (BY_MEMBER == null) {
            return List.of();
        }
        try {
            Stream<GroupModel> groups = (Stream<GroupModel>) BY_MEMBER.invoke(provider, organization, user);
            return groups == null ? List.of() : groups.map(GroupModel::getName).toList();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Keycloak's organization groups could not be read", e);
        }
    }

    private static MethodHandle find() {
        try {
            return MethodHandles.publicLookup().findVirtual(OrganizationProvider.class, "getOrganizationGroupsByMember",
                    MethodType.methodType(Stream.class, OrganizationModel.class, UserModel.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }
}
