package io.github.keycloakhasura.compat;

import org.keycloak.models.OrganizationModel;
import org.keycloak.organization.OrganizationProvider;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Keycloak's stored organization invitations ({@code OrganizationProvider.getInvitationManager()}), which 26.5 added:
 * an invitation token's id is a stored invitation's id, checked and deleted when used. 26.4 has none: its invitation
 * tokens are stateless (signed, expiring, single use through the single-use store, which every release uses here).
 * Reached by reflection, the jar being compiled against 26.4; every method is a no-op or "valid" where unsupported.
 */
public final class OrganizationInvitationStore {

    private static final Method GET_MANAGER = method(OrganizationProvider.class, "getInvitationManager");

    /** A stored invitation: its id and expiry (epoch seconds). */
    public record Invitation(String id, int expiresAt, Object model) {
    }

    private OrganizationInvitationStore() {
    }

    public static boolean supported() {
        return GET_MANAGER != null;
    }

    /**
     * Whether {@code email} has a pending (unexpired) invitation to {@code organization}; an expired one is deleted.
     * Always false where unsupported.
     */
    public static boolean pending(OrganizationProvider provider, OrganizationModel organization, String email) {
        Object manager = manager(provider);
        if (manager == null) {
            return false;
        }
        Object existing = call(manager, "getByEmail", new Class<?>[] {OrganizationModel.class, String.class}, organization, email);
        if (existing == null) {
            return false;
        }
        if ((Boolean) call(existing, "isExpired", new Class<?>[0])) {
            call(manager, "remove", new Class<?>[] {String.class}, call(existing, "getId", new Class<?>[0]));
            return false;
        }
        return true;
    }

    /** A new stored invitation; null where unsupported. */
    public static Invitation create(OrganizationProvider provider, OrganizationModel organization, String email) {
        Object manager = manager(provider);
        if (manager == null) {
            return null;
        }
        Object model = call(manager, "create", new Class<?>[] {OrganizationModel.class, String.class, String.class, String.class},
                organization, email, null, null);
        return new Invitation((String) call(model, "getId", new Class<?>[0]), (Integer) call(model, "getExpiresAt", new Class<?>[0]), model);
    }

    public static void setLink(Invitation invitation, String link) {
        if (invitation != null) {
            call(invitation.model(), "setInviteLink", new Class<?>[] {String.class}, link);
        }
    }

    /** Whether the invitation {@code id} exists and has not expired; true where unsupported (stateless tokens). */
    public static boolean valid(OrganizationProvider provider, String id) {
        Object manager = manager(provider);
        if (manager == null) {
            return true;
        }
        Object invitation = id == null ? null : call(manager, "getById", new Class<?>[] {String.class}, id);
        return invitation != null && !(Boolean) call(invitation, "isExpired", new Class<?>[0]);
    }

    /** Deletes the invitation {@code id} (it has been used). */
    public static void remove(OrganizationProvider provider, String id) {
        Object manager = manager(provider);
        if (manager != null && id != null) {
            call(manager, "remove", new Class<?>[] {String.class}, id);
        }
    }

    private static Object manager(OrganizationProvider provider) {
        return GET_MANAGER == null ? null : invoke(GET_MANAGER, provider);
    }

    private static Object call(Object target, String name, Class<?>[] types, Object... args) {
        Method m = method(target.getClass(), name, types);
        if (m == null) {
            throw new IllegalStateException("Keycloak's invitation API has no " + name);
        }
        return invoke(m, target, args);
    }

    private static Object invoke(Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Method method(Class<?> type, String name, Class<?>... types) {
        // Public interface methods (the implementation classes may not be accessible).
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                Method found = publicMethod(i, name, types);
                if (found != null) {
                    return found;
                }
            }
        }
        return publicMethod(type, name, types);
    }

    private static Method publicMethod(Class<?> type, String name, Class<?>... types) {
        try {
            Method m = type.getMethod(name, types);
            return java.lang.reflect.Modifier.isPublic(m.getDeclaringClass().getModifiers()) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
