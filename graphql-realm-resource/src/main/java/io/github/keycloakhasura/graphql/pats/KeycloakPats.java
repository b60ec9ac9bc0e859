package io.github.keycloakhasura.graphql.pats;

import io.github.keycloakhasura.pat.PatCredentials;
import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.HasuraVariables;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.keycloak.GrantChecks;
import io.github.keycloakhasura.graphql.keycloak.KeycloakSide;
import io.github.keycloakhasura.mapper.HasuraClaims;
import io.github.keycloakhasura.mapper.HasuraReservedNames;
import io.github.keycloakhasura.mapper.RoleLimit;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessTokenResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@link PersonalAccessTokens} port on Keycloak. Who may do what, in one place: creating needs an elevated token
 * ({@code x-hasura-auth-elevated} in the caller's Hasura session variables, the one computation's) and roles among
 * the caller's current allowed roles, never {@code admin} or a reserved name; listing and revoking need the
 * caller's bearer token; a login with a token runs {@link PatGrant}.
 */
public final class KeycloakPats implements PersonalAccessTokens {

    static final int MAX_DAYS = 366;
    static final int MAX_NAME = 100;

    private final KeycloakSide keycloak;
    private final GrantChecks checks;
    private final Function<AccessTokenResponse, Tokens> tokens;

    public KeycloakPats(KeycloakSide keycloak, GrantChecks checks, Function<AccessTokenResponse, Tokens> tokens) {
        this.keycloak = keycloak;
        this.checks = checks;
        this.tokens = tokens;
    }

    @Override
    public Created create(Caller caller, String name, List<String> roles, Integer expiresInDays, TransactionMode mode) {
        KeycloakSide.VerifiedCaller me = keycloak.caller(caller);
        String label = name == null ? "" : name.trim();
        if (label.isEmpty() || label.length() > MAX_NAME) {
            throw GraphqlException.badInput("name must be 1 to " + MAX_NAME + " characters");
        }
        if (expiresInDays == null || expiresInDays < 1 || expiresInDays > MAX_DAYS) {
            throw GraphqlException.badInput("expiresInDays must be between 1 and " + MAX_DAYS);
        }
        Map<String, Object> variables = requireElevated(caller, "Creating");
        List<String> chosen = chosen(roles, variables.get(HasuraReservedNames.ALLOWED_ROLES));
        String clientId = me.client().getClientId();
        return keycloak.run(mode, "createPersonalAccessToken", s -> {
            RealmModel realm = s.getContext().getRealm();
            UserModel user = s.users().getUserById(realm, me.user().getId());
            AdminReach.refuse(realm, user, realm.getClientByClientId(clientId));
            // tokens an admin signed out are dead: their credentials go now, their names are free again
            PatCredentials.list(user).filter(t -> PatCredentials.signedOut(s, realm, t)).toList()
                    .forEach(t -> user.credentialManager().removeStoredCredentialById(t.credential().getId()));
            if (PatCredentials.list(user).anyMatch(t -> label.equals(t.credential().getUserLabel()))) {
                // Keycloak keeps credential labels unique per type and user.
                throw GraphqlException.badInput("You have a personal access token named '" + label + "' already");
            }
            var created = PatCredentials.create(user, label, chosen, clientId, expiresInDays);
            PatCredentials.Data data = PatCredentials.data(created.getValue());
            return new Created(created.getValue().getId(), label, created.getKey(), chosen, iso(data.expiresAt()));
        });
    }

    /**
     * The caller's Hasura session variables (the one computation's, as whoami shows them) when they say the caller's
     * token is elevated ({@code x-hasura-auth-elevated}: issued within the elevation window of a step-up proof);
     * otherwise REAUTHENTICATION_REQUIRED. A stolen access token alone creates or revokes no personal access token.
     */
    private Map<String, Object> requireElevated(Caller caller, String what) {
        Map<String, Object> variables = HasuraVariables.claimsOrNull(keycloak.sessionVariables(caller));
        if (variables == null || variables.get(HasuraReservedNames.AUTH_ELEVATED) == null) {
            throw new GraphqlException(ErrorCode.REAUTHENTICATION_REQUIRED,
                    what + " a personal access token needs an elevated token: call elevate with a proof first");
        }
        return variables;
    }

    /** The roles asked for (default {@code user}), each among the caller's current allowed roles, never admin. */
    static List<String> chosen(List<String> roles, Object allowedNow) {
        Collection<?> allowed = allowedNow instanceof Collection<?> c ? c : List.of();
        List<String> asked = roles == null || roles.isEmpty() ? List.of("user") : roles;
        LinkedHashSet<String> result = new LinkedHashSet<>();
        for (String role : asked) {
            String r = role == null ? "" : role.trim();
            if (r.isEmpty()) {
                throw GraphqlException.badInput("roles must not contain an empty name");
            }
            if (r.equalsIgnoreCase(HasuraClaims.HASURA_ADMIN_ROLE) || HasuraReservedNames.isReserved(r)
                    || r.toLowerCase().contains("auth-elevated")) {
                throw GraphqlException.forbidden("A personal access token never has role '" + r + "'");
            }
            if (!allowed.contains(r)) {
                throw GraphqlException.forbidden("Role '" + r + "' is not among your current roles");
            }
            result.add(r);
        }
        return List.copyOf(result);
    }

    @Override
    public List<Listed> list(Caller caller) {
        KeycloakSide.VerifiedCaller me = keycloak.caller(caller);
        return keycloak.run(TransactionMode.REQUEST, "personalAccessTokens", s -> {
            RealmModel realm = s.getContext().getRealm();
            UserModel user = s.users().getUserById(realm, me.user().getId());
            List<Listed> result = new ArrayList<>();
            PatCredentials.list(user).filter(t -> !PatCredentials.signedOut(s, realm, t)).forEach(t -> result.add(new Listed(t.credential().getId(), t.credential().getUserLabel(),
                    t.data().roles(), iso(t.data().createdAt()), t.data().lastUsedAt() == null ? null : iso(t.data().lastUsedAt()),
                    iso(t.data().expiresAt()))));
            return result;
        });
    }

    @Override
    public boolean revoke(Caller caller, String id, TransactionMode mode) {
        KeycloakSide.VerifiedCaller me = keycloak.caller(caller);
        if (id == null || id.isBlank()) {
            throw GraphqlException.badInput("id must not be empty");
        }
        requireElevated(caller, "Revoking");
        return keycloak.run(mode, "revokePersonalAccessToken", s -> {
            RealmModel realm = s.getContext().getRealm();
            UserModel user = s.users().getUserById(realm, me.user().getId());
            boolean found = PatCredentials.list(user).anyMatch(t -> t.credential().getId().equals(id.trim()));
            if (!found) {
                throw new GraphqlException(ErrorCode.NOT_FOUND, "No such personal access token");
            }
            user.credentialManager().removeStoredCredentialById(id.trim());
            endSessions(s, realm, user, id.trim());
            return true;
        });
    }

    /** Ends the sessions made from token {@code id}: their access tokens stop working at once. */
    static void endSessions(KeycloakSession s, RealmModel realm, UserModel user, String id) {
        s.sessions().getUserSessionsStream(realm, user)
                .filter(us -> us.getAuthenticatedClientSessions().values().stream()
                        .anyMatch(cs -> id.equals(cs.getNote(RoleLimit.ID_NOTE))))
                .toList()
                .forEach(us -> s.sessions().removeUserSession(realm, us));
    }

    @Override
    public Tokens login(String token) {
        if (token == null || token.isBlank()) {
            throw GraphqlException.badInput("token must not be empty");
        }
        String clientId = keycloak.run(TransactionMode.OWN, "tokenAuthWithPersonalAccessToken", s -> {
            PatCredentials.Stored stored = PatCredentials.find(s, s.getContext().getRealm(), token.trim());
            return stored == null ? null : stored.data().clientId();
        });
        if (clientId == null) {
            throw PatGrant.invalid();
        }
        checks.requireAllowedClient(clientId);
        Object outcome = keycloak.run(TransactionMode.OWN, "tokenAuthWithPersonalAccessToken",
                s -> PatGrant.run(s, s.getContext().getRealm().getClientByClientId(clientId), token.trim()));
        if (outcome instanceof GraphqlException e) {
            throw e;
        }
        return tokens.apply((AccessTokenResponse) outcome);
    }

    static String iso(long epochSeconds) {
        return Instant.ofEpochSecond(epochSeconds).toString();
    }
}
