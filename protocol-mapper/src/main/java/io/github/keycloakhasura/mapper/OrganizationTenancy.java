package io.github.keycloakhasura.mapper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which of a user's Keycloak organizations is the <em>active</em> one, and which Hasura roles it gives. Pure: the
 * Keycloak side ({@link HasuraSessionVariables}) gathers the inputs.
 *
 * <p>Rules, in this order (the first that applies decides):
 * <ol>
 *   <li>an organization asked for by id (the webhook's {@code X-Hasura-Org-Id} header): that one when the user is a
 *   member now, else none (the webhook then refuses);</li>
 *   <li>the token asked for organizations by alias ({@code organization:<alias>} scopes): that one when exactly one
 *   was asked for and the user is a member, else none;</li>
 *   <li>the client session remembers one (Keycloak's client note {@code kc.org}): that one while the user is still a
 *   member, else none (removed from it: no active organization, never silently another one);</li>
 *   <li>the user is a member of exactly one organization: that one;</li>
 *   <li>none.</li>
 * </ol>
 * Hasura roles come from the active organization's groups only, so a role held in another organization never
 * appears, and Hasura's {@code admin} never comes from a group, whatever it is called.
 */
public final class OrganizationTenancy {

    /** The dynamic client scope Keycloak resolves organizations from ({@code organization}, {@code organization:<alias>}). */
    public static final String SCOPE = "organization";
    /** Keycloak's client-session note naming the organization a session logged in to (an organization id). */
    public static final String ACTIVE_NOTE = "kc.org";

    /** One organization the user is a member of now. */
    public record Membership(String id, String alias) {
    }

    /**
     * What decides the active organization.
     *
     * @param memberships      the user's current, enabled organizations
     * @param requestedId      an organization id asked for explicitly (webhook header), or null
     * @param requestedAliases the aliases of the token's {@code organization:<alias>} scopes (none for {@code organization}
     *                         and {@code organization:*})
     * @param rememberedId     the client session's {@code kc.org} note, or null
     */
    public record Inputs(List<Membership> memberships, String requestedId, Collection<String> requestedAliases,
                         String rememberedId) {
        public Inputs {
            memberships = memberships == null ? List.of() : List.copyOf(memberships);
            requestedAliases = requestedAliases == null ? List.of() : List.copyOf(requestedAliases);
        }
    }

    private OrganizationTenancy() {
    }

    /** The active organization (see the class comment); empty when there is none. */
    public static Optional<Membership> active(Inputs in) {
        if (in.requestedId() != null) {
            return byId(in.memberships(), in.requestedId());
        }
        if (!in.requestedAliases().isEmpty()) {
            if (in.requestedAliases().size() != 1) {
                return Optional.empty();
            }
            String alias = in.requestedAliases().iterator().next();
            return in.memberships().stream().filter(m -> m.alias().equals(alias)).findFirst();
        }
        if (in.rememberedId() != null) {
            return byId(in.memberships(), in.rememberedId());
        }
        return in.memberships().size() == 1 ? Optional.of(in.memberships().get(0)) : Optional.empty();
    }

    /**
     * The aliases a scope string asks for: the values of its {@code organization:<alias>} entries, {@code *} (all) and the
     * bare {@code organization} (any) excluded.
     */
    public static List<String> requestedAliases(String scope) {
        if (scope == null || scope.isBlank()) {
            return List.of();
        }
        Set<String> aliases = new LinkedHashSet<>();
        for (String entry : scope.trim().split("\\s+")) {
            if (entry.startsWith(SCOPE + ":")) {
                String alias = entry.substring(SCOPE.length() + 1);
                if (!alias.isEmpty() && !alias.equals("*")) {
                    aliases.add(alias);
                }
            }
        }
        return List.copyOf(aliases);
    }

    /**
     * The Hasura roles the active organization's groups give, by the mapper's group-to-role option, in the option's
     * order; never Hasura's {@code admin}.
     */
    public static List<String> roles(HasuraMapperConfig config, Collection<String> activeGroupNames) {
        List<String> roles = new ArrayList<>();
        for (OrganizationOptions.GroupRole mapping : config.organizationGroupRoles()) {
            if (activeGroupNames.contains(mapping.group()) && !HasuraClaims.HASURA_ADMIN_ROLE.equals(mapping.role())
                    && !roles.contains(mapping.role())) {
                roles.add(mapping.role());
            }
        }
        return List.copyOf(roles);
    }

    /**
     * The allowed roles plus the roles the active organization's groups give (after them, unless the priority list
     * orders them first); roles of any other organization never reach here, Hasura's {@code admin} never.
     */
    public static List<String> withRoles(HasuraMapperConfig config, List<String> allowed, Collection<String> activeGroupNames) {
        List<String> roles = roles(config, activeGroupNames);
        if (roles.isEmpty()) {
            return allowed;
        }
        Set<String> all = new LinkedHashSet<>(allowed);
        all.addAll(roles);
        Set<String> ordered = new LinkedHashSet<>();
        for (String role : config.roles().priority()) {
            if (all.contains(role)) {
                ordered.add(role);
            }
        }
        ordered.addAll(all);
        return List.copyOf(ordered);
    }

    private static Optional<Membership> byId(List<Membership> memberships, String id) {
        return memberships.stream().filter(m -> m.id().equals(id)).findFirst();
    }
}
