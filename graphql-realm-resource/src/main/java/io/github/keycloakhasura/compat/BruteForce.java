package io.github.keycloakhasura.compat;

import jakarta.ws.rs.core.UriInfo;
import org.keycloak.common.ClientConnection;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.BruteForceProtector;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Set;

/**
 * A credential the caller types again (old password, OTP code) is one login attempt for Keycloak's brute-force
 * detection: refused unchecked while the user is locked, a wrong one recorded as a failure of its category
 * ({@code password} or {@code otp}), a right one as a success, as the login flows do.
 * <p>
 * Keycloak 26.5+ takes the attempt's authentication categories ({@code failedLogin(…, Set<String>)}); 26.4 has no
 * such parameter. Whichever the running server has is looked up once.
 */
public final class BruteForce {

    private static final MethodHandle FAILED = record("failedLogin");
    private static final MethodHandle SUCCEEDED = record("successfulLogin");

    private BruteForce() {
    }

    public static boolean locked(KeycloakSession s, RealmModel realm, UserModel user) {
        if (!realm.isBruteForceProtected()) {
            return false;
        }
        BruteForceProtector protector = s.getProvider(BruteForceProtector.class);
        return protector.isTemporarilyDisabled(s, realm, user) || protector.isPermanentlyLockedOut(s, realm, user);
    }

    public static void failed(KeycloakSession s, RealmModel realm, UserModel user, String category) {
        call(FAILED, s, realm, user, category);
    }

    public static void succeeded(KeycloakSession s, RealmModel realm, UserModel user, String category) {
        call(SUCCEEDED, s, realm, user, category);
    }

    private static void call(MethodHandle method, KeycloakSession s, RealmModel realm, UserModel user, String category) {
        if (!realm.isBruteForceProtected()) {
            return;
        }
        BruteForceProtector protector = s.getProvider(BruteForceProtector.class);
        ClientConnection connection = s.getContext().getConnection();
        UriInfo uri = s.getContext().getHttpRequest().getUri();
        try {
            if (method.type().parameterCount() == 6) {
                method.invoke(protector, realm, user, connection, uri, Set.of(category));
            } else {
                method.invoke(protector, realm, user, connection, uri);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code name(realm, user, connection, uri[, categories])} of the running Keycloak's BruteForceProtector. */
    private static MethodHandle record(String name) {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodType withCategories = MethodType.methodType(void.class, RealmModel.class, UserModel.class,
                ClientConnection.class, UriInfo.class, Set.class);
        try {
            return lookup.findVirtual(BruteForceProtector.class, name, withCategories);
        } catch (NoSuchMethodException e) {
            try {
                return lookup.findVirtual(BruteForceProtector.class, name, withCategories.dropParameterTypes(4, 5));
            } catch (ReflectiveOperationException missing) {
                throw new IllegalStateException("BruteForceProtector." + name + " not found", missing);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
