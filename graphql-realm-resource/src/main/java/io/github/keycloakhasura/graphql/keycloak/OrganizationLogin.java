package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.compat.OrganizationScopes;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.PendingActionInput;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.mapper.OrganizationTenancy;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * Logging in to an organization and switching it, with Keycloak's own grants and organization scopes only: a login
 * asks for {@code organization:*} (every organization of the user granted to the session), a switch is the refresh
 * grant narrowing it to {@code organization:<alias>}. The Hasura mapper makes that organization the token's active
 * one and has the client session remember it (Keycloak's {@code kc.org} note), so the next refresh keeps it. No
 * token is minted here; the mapper's rules are {@link OrganizationTenancy}'s. Used by two capabilities: {@code login}
 * (tokenAuth) and {@code organizations} (switchOrganization, the organization provider).
 */
public final class OrganizationLogin {

    static final String ALL = OrganizationTenancy.SCOPE + ":*";

    private final KeycloakSide keycloak;

    public OrganizationLogin(KeycloakSide keycloak) {
        this.keycloak = keycloak;
    }

    public Tokens login(String username, String password, String clientId, String scope, String otp, PendingActionInput pending,
                 String organization) {
        if (organization == null) {
            return keycloak.login(username, password, clientId, withAllOrganizations(scope, clientId, username), otp, pending);
        }
        String alias = organization.trim();
        if (alias.isEmpty()) {
            throw GraphqlException.badInput("organization must not be empty");
        }
        if (namesOrganizations(scope)) {
            throw GraphqlException.badInput("scope must not name organizations when organization is given");
        }
        Tokens tokens = keycloak.login(username, password, clientId, withAllOrganizations(scope, clientId, username), otp, pending);
        boolean member = keycloak.run(TransactionMode.REQUEST, "tokenAuth", s -> {
            Object subject = tokens.token() == null ? null : keycloak.claim(tokens.token(), "sub");
            UserModel user = subject instanceof String id ? s.users().getUserById(s.getContext().getRealm(), id) : null;
            return user != null && enabledMembership(s, alias, user) != null;
        });
        if (!member || tokens.refreshToken() == null) {
            if (tokens.refreshToken() != null) {
                keycloak.revoke(tokens.refreshToken());
            }
            throw notMember(alias);
        }
        return switchOrganization(tokens.refreshToken(), alias, TransactionMode.OWN);
    }

    /**
     * The refresh grant with the session's scopes, {@code organization:*} narrowed to {@code organization:<alias>}.
     * Keycloak grants {@code organization:<alias>} only to a current member of that enabled organization, so the grant
     * itself is the membership check: the new tokens are accepted, inside the grant's transaction, only when their
     * scope names that one organization; otherwise the transaction rolls back (nothing the grant wrote is kept, no
     * token leaves) and the answer is FORBIDDEN for a non-member, BAD_USER_INPUT for a session that was not logged in
     * with organizations. Keycloak refuses an alias that names no organization ({@code invalid_scope}): FORBIDDEN as
     * well, so the answer does not tell which organizations exist. The refresh token is verified once, by the grant: its scope is read unverified only to
     * build the {@code scope} parameter, which can narrow what the session was granted and never widen it.
     */
    public Tokens switchOrganization(String refreshToken, String organization, TransactionMode mode) {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw GraphqlException.badInput("refreshToken must not be empty");
        }
        String alias = organization == null ? "" : organization.trim();
        if (alias.isEmpty()) {
            throw GraphqlException.badInput("organization must not be empty");
        }
        List<String> scopes = new ArrayList<>();
        boolean all = false;
        for (String entry : scopeClaim(refreshToken).trim().split("\\s+")) {
            if (entry.equals(ALL)) {
                all = true;
            } else if (!entry.isEmpty() && !isOrganizationScope(entry)) {
                scopes.add(entry);
            }
        }
        boolean loggedInWithOrganizations = all;
        return keycloak.refresh(refreshToken, OrganizationScopes.narrowing(scopes, alias), mode, (s, tokens) -> {
            if (loggedInWithOrganizations
                    && OrganizationTenancy.requestedAliases(scopeClaim(tokens.token())).equals(List.of(alias))) {
                return;
            }
            // Refused (rare): the grant verified the refresh token, so its subject is the session's user.
            Object subject = keycloak.claim(refreshToken, "sub");
            UserModel user = subject instanceof String id ? s.users().getUserById(s.getContext().getRealm(), id) : null;
            if (user == null || enabledMembership(s, alias, user) == null || loggedInWithOrganizations) {
                throw notMember(alias);
            }
            throw GraphqlException.badInput("This session was not logged in with organizations (scope " + ALL
                    + "): log in again with tokenAuth");
        }, () -> notMember(alias)); // the parameter names only the session's own scopes and organization:<alias>
    }

    /** The {@code scope} claim of a token ("" when it has none); UNAUTHENTICATED for anything that is not a JWT. */
    private String scopeClaim(String jwt) {
        Object scope;
        try {
            scope = keycloak.claim(jwt, "scope");
        } catch (RuntimeException e) {
            throw GraphqlException.unauthenticated("Invalid or expired refresh token");
        }
        return scope instanceof String text ? text : "";
    }

    /** The enabled organization {@code alias} when {@code user} is a member of it now, else null. */
    public static OrganizationModel enabledMembership(KeycloakSession s, String alias, UserModel user) {
        OrganizationProvider provider = provider(s);
        OrganizationModel org = provider == null ? null : provider.getByAlias(alias);
        return org != null && org.isEnabled() && provider.isMember(org, user) ? org : null;
    }

    public static OrganizationProvider provider(KeycloakSession s) {
        RealmModel realm = s.getContext().getRealm();
        return realm != null && realm.isOrganizationsEnabled() ? s.getProvider(OrganizationProvider.class) : null;
    }

    /**
     * The scope of a login: with {@code organization:*} added when the realm has organizations, the client offers the
     * {@code organization} scope, the caller named none, and the user (looked up by name, the password is Keycloak's
     * to check) is a member of one at least (Keycloak refuses {@code organization:*} for a user without any).
     */
    private String withAllOrganizations(String scope, String clientId, String username) {
        if (namesOrganizations(scope)) {
            return scope;
        }
        boolean add = keycloak.run(TransactionMode.REQUEST, "tokenAuth", s -> {
            OrganizationProvider provider = provider(s);
            RealmModel realm = s.getContext().getRealm();
            ClientModel client = realm.getClientByClientId(clientId == null || clientId.isBlank()
                    ? keycloak.defaultClientId() : clientId.trim());
            if (provider == null || client == null || !offersOrganizationScope(client) || username == null) {
                return false;
            }
            UserModel user = s.users().getUserByUsername(realm, username.trim());
            if (user == null && realm.isLoginWithEmailAllowed()) {
                user = s.users().getUserByEmail(realm, username.trim());
            }
            return user != null && provider.getByMember(user).anyMatch(OrganizationModel::isEnabled);
        });
        if (!add) {
            return scope;
        }
        return scope == null || scope.isBlank() ? ALL : scope.trim() + " " + ALL;
    }

    private static boolean offersOrganizationScope(ClientModel client) {
        return client.getClientScopes(false).containsKey(OrganizationTenancy.SCOPE)
                || client.getClientScopes(true).containsKey(OrganizationTenancy.SCOPE);
    }

    private static boolean namesOrganizations(String scope) {
        if (scope == null) {
            return false;
        }
        for (String entry : scope.trim().split("\\s+")) {
            if (isOrganizationScope(entry)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOrganizationScope(String entry) {
        return entry.equals(OrganizationTenancy.SCOPE) || entry.startsWith(OrganizationTenancy.SCOPE + ":");
    }

    static GraphqlException notMember(String alias) {
        return GraphqlException.forbidden("Not a member of organization '" + alias + "'");
    }
}
