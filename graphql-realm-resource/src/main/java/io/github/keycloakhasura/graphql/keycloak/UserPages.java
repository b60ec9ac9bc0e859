package io.github.keycloakhasura.graphql.keycloak;

import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.provider.Provider;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a realm's users in username order, as Keycloak's user search returns it
 * ({@code searchForUserStream} without a search term, service accounts excluded), read in time that does not grow
 * with the realm.
 * <p>
 * Keycloak's search asks the database for {@code SELECT DISTINCT <every user column> … ORDER BY username} and then
 * applies the offset and limit, so the database may read and sort every user of the realm first: H2 always does;
 * PostgreSQL does until the table has statistics (right after a bulk import: about 250 ms for the first page of
 * 100 000 users, as for the admin console's list), then streams it along the username index. In a realm whose users
 * all live in Keycloak's own database (no user federation) and whose admin permissions are not fine-grained (no
 * per-admin filters), that query has no joins, so {@code DISTINCT} cannot remove anything: the same page is the ids
 * read along the realm's unique (realm, username) index, offset and limit included, then each user loaded by id
 * through Keycloak's user cache (as Keycloak's search does with its rows). Otherwise, and for searches, Keycloak's
 * own search runs.
 */
final class UserPages {

    /** The rows of Keycloak's search (see {@code JpaUserProvider#searchForUserStream}), ids only. */
    static final String PAGE_QUERY = "select u.id from UserEntity u where u.realmId = :realmId"
            + " and u.serviceAccountClientLink is null order by u.username";

    private static final Logger LOG = Logger.getLogger(UserPages.class);

    /** The provider type of user federation components (LDAP, Kerberos, custom user storage). */
    static final String USER_STORAGE_PROVIDER_TYPE = "org.keycloak.storage.UserStorageProvider";

    /**
     * Keycloak's {@code org.keycloak.connections.jpa.JpaConnectionProvider} and its {@code getEntityManager()}, looked
     * up by name: its artifact (keycloak-model-jpa) cannot be a compile dependency, its parent POM is not on Maven
     * Central. Resolved once, never changed; null outside a Keycloak server (Keycloak's search is used then).
     */
    private static final JpaAccess JPA = JpaAccess.find();

    private record JpaAccess(Class<? extends Provider> provider, Method entityManager) {
        static JpaAccess find() {
            try {
                Class<? extends Provider> provider = Class.forName("org.keycloak.connections.jpa.JpaConnectionProvider", false,
                        KeycloakSession.class.getClassLoader()).asSubclass(Provider.class);
                return new JpaAccess(provider, provider.getMethod("getEntityManager"));
            } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
                LOG.debugf(e, "no JPA connection provider: users pages use Keycloak's search");
                return null;
            }
        }

        EntityManager entityManager(KeycloakSession session) {
            Provider jpa = session.getProvider(provider);
            if (jpa == null) {
                return null;
            }
            try {
                return (EntityManager) entityManager.invoke(jpa);
            } catch (ReflectiveOperationException | ClassCastException e) {
                LOG.debugf(e, "JPA entity manager not available: users pages use Keycloak's search");
                return null;
            }
        }
    }

    private UserPages() {
    }

    /** The page, or empty when Keycloak's own search must run (federation, fine-grained admin permissions, no JPA). */
    static Optional<List<UserModel>> byUsername(KeycloakSession session, RealmModel realm, int offset, int max) {
        if (!indexable(realm)) {
            return Optional.empty();
        }
        EntityManager em = JPA == null ? null : JPA.entityManager(session);
        if (em == null) {
            return Optional.empty();
        }
        List<String> ids = em.createQuery(PAGE_QUERY, String.class)
                .setParameter("realmId", realm.getId())
                .setFirstResult(offset)
                .setMaxResults(max)
                .getResultList();
        UserProvider users = session.users();
        return Optional.of(ids.stream().map(id -> users.getUserById(realm, id)).filter(Objects::nonNull).toList());
    }

    /** Every user in Keycloak's database and no per-admin filters: Keycloak's search is a plain indexed scan. */
    static boolean indexable(RealmModel realm) {
        return !realm.isAdminPermissionsEnabled()
                && realm.getComponentsStream(realm.getId(), USER_STORAGE_PROVIDER_TYPE).findAny().isEmpty();
    }

    /** Search parameters of Keycloak's search for the same page (and for searches). */
    static Map<String, String> searchParameters(String search) {
        return search == null || search.isBlank()
                ? Map.of(UserModel.INCLUDE_SERVICE_ACCOUNT, Boolean.FALSE.toString())
                : Map.of(UserModel.SEARCH, search.trim(), UserModel.INCLUDE_SERVICE_ACCOUNT, Boolean.FALSE.toString());
    }
}
