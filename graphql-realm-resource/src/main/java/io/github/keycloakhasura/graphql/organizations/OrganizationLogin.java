package io.github.keycloakhasura.graphql.organizations;

import io.github.keycloakhasura.graphql.keycloak.KeycloakSide;
import io.github.keycloakhasura.compat.OrganizationScopes;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.PendingActionInput;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.mapper.OrganizationTenancy;
import org.keycloak.OAuthErrorException;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.RefreshToken;

import java.util.ArrayList;
import java.util.List;

/**
 * Logging in to an organization and switching it, with Keycloak's own grants and organization scopes only: a login
 * asks for {@code organization:*} (every organization of the user granted to the session), a switch is the refresh
 * grant narrowing it to {@code organization:<alias>}. The Hasura mapper makes that organization the token's active
 * one and has the client session remember it (Keycloak's {@code kc.org} note), so the next refresh keeps it. No
 * token is minted here; the mapper's rules are {@link OrganizationTenancy}'s.
 */
final class OrganizationLogin {

    static final String ALL = OrganizationTenancy.SCOPE + ":*";

    private final KeycloakSide keycloak;

    OrganizationLogin(KeycloakSide keycloak) {
        this.keycloak = keycloak;
    }

    Tokens login(String username, String password, String clientId, String scope, String otp, PendingActionInput pending,
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
            UserModel user = s.users().getUserById(s.getContext().getRealm(), claims(tokens.token(), AccessToken.class).getSubject());
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
     * The refresh grant with the session's scopes, {@code organization:*} narrowed to {@code organization:<alias>};
     * the user must be a member of that organization now (FORBIDDEN otherwise, before any grant).
     */
    Tokens switchOrganization(String refreshToken, String organization, TransactionMode mode) {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw GraphqlException.badInput("refreshToken must not be empty");
        }
        String alias = organization == null ? "" : organization.trim();
        if (alias.isEmpty()) {
            throw GraphqlException.badInput("organization must not be empty");
        }
        String scope = keycloak.run(mode, "switchOrganization", s -> narrowedScope(s, refreshToken, alias));
        Tokens tokens = keycloak.refresh(refreshToken, scope, mode);
        List<String> granted = OrganizationTenancy.requestedAliases(claims(tokens.token(), AccessToken.class).getScope());
        if (!granted.equals(List.of(alias))) {
            // Keycloak did not grant the organization (membership ended meanwhile): the tokens must not be used as if.
            keycloak.revoke(tokens.refreshToken());
            throw notMember(alias);
        }
        return tokens;
    }

    /** Checks the refresh token as Keycloak does (signature, type, expiry, client), then the membership. */
    private static String narrowedScope(KeycloakSession s, String refreshToken, String alias) {
        RealmModel realm = s.getContext().getRealm();
        RefreshToken unverified = claims(refreshToken, RefreshToken.class);
        ClientModel client = unverified.getIssuedFor() == null ? null : realm.getClientByClientId(unverified.getIssuedFor());
        RefreshToken verified;
        try {
            if (client == null) {
                throw new OAuthErrorException(OAuthErrorException.INVALID_GRANT, "unknown client");
            }
            verified = new TokenManager().verifyRefreshToken(s, realm, client, s.getContext().getHttpRequest(), refreshToken, true);
        } catch (OAuthErrorException e) {
            throw GraphqlException.unauthenticated("Invalid or expired refresh token");
        }
        UserModel user = verified.getSubject() == null ? null : s.users().getUserById(realm, verified.getSubject());
        if (user == null || enabledMembership(s, alias, user) == null) {
            throw notMember(alias);
        }
        List<String> scopes = new ArrayList<>();
        boolean all = false;
        for (String entry : verified.getScope() == null ? new String[0] : verified.getScope().trim().split("\\s+")) {
            if (entry.equals(ALL)) {
                all = true;
            } else if (!entry.isEmpty() && !isOrganizationScope(entry)) {
                scopes.add(entry);
            }
        }
        if (!all) {
            throw GraphqlException.badInput("This session was not logged in with organizations (scope " + ALL
                    + "): log in again with tokenAuth");
        }
        return OrganizationScopes.narrowing(scopes, alias);
    }

    /** The enabled organization {@code alias} when {@code user} is a member of it now, else null. */
    static OrganizationModel enabledMembership(KeycloakSession s, String alias, UserModel user) {
        OrganizationProvider provider = provider(s);
        OrganizationModel org = provider == null ? null : provider.getByAlias(alias);
        return org != null && org.isEnabled() && provider.isMember(org, user) ? org : null;
    }

    static OrganizationProvider provider(KeycloakSession s) {
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

    private static <T> T claims(String jwt, Class<T> type) {
        try {
            return new JWSInput(jwt).readJsonContent(type);
        } catch (JWSInputException | RuntimeException e) {
            throw GraphqlException.unauthenticated("Invalid or expired refresh token");
        }
    }
}
