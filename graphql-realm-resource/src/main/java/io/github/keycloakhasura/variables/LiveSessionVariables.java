package io.github.keycloakhasura.variables;

import io.github.keycloakhasura.mapper.ClaimsUnavailableException;
import io.github.keycloakhasura.mapper.Elevation;
import io.github.keycloakhasura.mapper.HasuraMapperConfig;
import io.github.keycloakhasura.mapper.HasuraSessionVariables;
import io.github.keycloakhasura.mapper.InvalidMapperConfigException;
import io.github.keycloakhasura.trust.BearerTokens;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one procedure from a live token to its Hasura session variables, for the Hasura webhook
 * ({@code hasura.WebhookEndpoint}) and GraphQL ({@code whoami { hasura }}, the caller's own {@code profile { role }},
 * through {@code graphql.keycloak.HasuraProfiles}): the token's client session, its client's Hasura mapper, then
 * {@link HasuraSessionVariables#forClientSession} (the mapper's own computation, so the token agrees), each way it can
 * end a {@link SessionVariables} kind. Who decided the token is live and trusted is the caller's business
 * ({@code trust.BearerTokens}).
 */
public final class LiveSessionVariables {

    private LiveSessionVariables() {
    }

    /**
     * The session variables of a live access token: {@code user}'s in {@code userSession} for {@code client}, as
     * Keycloak verified {@code token}; {@code requestedOrganization} (the webhook's {@code X-Hasura-Org-Id}, or null)
     * picks the active organization when the mapper computes organizations.
     */
    public static SessionVariables of(KeycloakSession session, UserModel user, UserSessionModel userSession,
                                      ClientModel client, AccessToken token, String requestedOrganization) {
        ClientSessionContext context = BearerTokens.clientSessionContext(session, userSession, client, token);
        if (context == null) {
            return new SessionVariables.SessionEnded();
        }
        return withConfig(client, () -> HasuraSessionVariables.config(context), config -> {
            String organization = config.organizations() && requestedOrganization != null
                    && !requestedOrganization.isBlank() ? requestedOrganization.trim() : null;
            Map<String, Object> claims = HasuraSessionVariables.forClientSession(config, session, user, context,
                    token.getScope(), organization,
                    Elevation.issuedAtIfIssuedElevated(token.getOtherClaims().get(config.namespace()), token.getIat()));
            return organization != null && !organization.equals(claims.get(HasuraMapperConfig.ORG_ID))
                    ? new SessionVariables.NotMember(organization) : of(claims);
        });
    }

    /**
     * The session variables of a personal access token of {@code user} for {@code client}, limited to its
     * {@code roles} ({@link HasuraSessionVariables#forPersonalAccessToken}), as a token made from it carries them.
     */
    public static SessionVariables ofPersonalAccessToken(KeycloakSession session, UserModel user, ClientModel client,
                                                         Collection<String> roles) {
        return withConfig(client, () -> HasuraSessionVariables.config(client),
                config -> of(HasuraSessionVariables.forPersonalAccessToken(config, session, user, client, roles)));
    }

    /** Computed claims as a kind: empty when no role may be issued. */
    private static SessionVariables of(Map<String, Object> claims) {
        return claims.isEmpty() ? new SessionVariables.NoRole() : new SessionVariables.Variables(claims);
    }

    /** The kind a computation with the client's mapper options ends in. */
    private interface Computation {
        SessionVariables compute(HasuraMapperConfig config);
    }

    private static SessionVariables withConfig(ClientModel client, Supplier<Optional<HasuraMapperConfig>> lookup,
                                               Computation computation) {
        Optional<HasuraMapperConfig> config;
        try {
            config = lookup.get();
        } catch (InvalidMapperConfigException e) {
            return new SessionVariables.InvalidConfig(client.getClientId(), e.getMessage());
        }
        if (config.isEmpty()) {
            return new SessionVariables.NoMapper();
        }
        try {
            return computation.compute(config.get());
        } catch (ClaimsUnavailableException e) {
            return new SessionVariables.Unavailable(e.getMessage());
        }
    }
}
