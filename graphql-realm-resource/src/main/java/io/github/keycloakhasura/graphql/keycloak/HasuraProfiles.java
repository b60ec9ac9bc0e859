package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.mapper.HasuraClaims;
import io.github.keycloakhasura.mapper.HasuraClaimsMapper;
import io.github.keycloakhasura.mapper.HasuraMapperConfig;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code profile { role }}: a user's default Hasura role for the configured client (one instance per request). */
final class HasuraProfiles {

    private static final Logger LOG = Logger.getLogger(HasuraProfiles.class);

    private final KeycloakSession session;
    private final String clientId;
    private final UserDirectory directory;
    /** The configured client's Hasura mapper, resolved once per request (null: not yet; empty: none). */
    private Optional<Setup> setup;

    /** The Hasura mapper config of the configured client and the client its client roles come from. */
    private record Setup(HasuraMapperConfig config, ClientModel rolesClient) {
    }

    HasuraProfiles(KeycloakSession session, String clientId, UserDirectory directory) {
        this.session = session;
        this.clientId = clientId;
        this.directory = directory;
    }

    /**
     * The default Hasura role of a user as the configured client's Hasura claims mapper would compute it. Null when
     * that client has no such mapper.
     */
    String role(String userId) {
        Setup setup = setup();
        UserModel user = setup == null ? null : directory.cachedUser(userId);
        if (user == null) {
            return null;
        }
        HasuraMapperConfig mapperConfig = setup.config();
        Set<RoleModel> roles = directory.deepRoles(user);
        List<String> realmRoles = roles.stream().filter(r -> !r.isClientRole()).map(RoleModel::getName).toList();
        List<String> clientRoles = List.of();
        ClientModel rolesClient = setup.rolesClient();
        if (rolesClient != null) {
            clientRoles = roles.stream().filter(r -> r.isClientRole() && rolesClient.getId().equals(r.getContainerId()))
                    .map(RoleModel::getName).toList();
        }
        List<String> allowed = HasuraClaims.allowedRoles(mapperConfig, realmRoles, clientRoles);
        return HasuraClaims.defaultRole(mapperConfig, allowed, user.getAttributes());
    }

    private Setup setup() {
        if (setup == null) {
            setup = Optional.ofNullable(resolve());
        }
        return setup.orElse(null);
    }

    private Setup resolve() {
        RealmModel realm = session.getContext().getRealm();
        ClientModel client = realm.getClientByClientId(clientId);
        if (client == null) {
            return null;
        }
        List<ProtocolMapperModel> candidates = new ArrayList<>(client.getProtocolMappersStream().toList());
        client.getClientScopes(true).values().forEach(scope -> candidates.addAll(scope.getProtocolMappersStream().toList()));
        Optional<ProtocolMapperModel> mapper = candidates.stream()
                .filter(m -> HasuraClaimsMapper.PROVIDER_ID.equals(m.getProtocolMapper()))
                .findFirst();
        if (mapper.isEmpty()) {
            return null;
        }
        HasuraMapperConfig mapperConfig;
        try {
            mapperConfig = HasuraMapperConfig.cached(mapper.get().getConfig());
        } catch (RuntimeException e) {
            LOG.debugf(e, "invalid Hasura mapper config on %s", clientId);
            return null;
        }
        ClientModel rolesClient = mapperConfig.rolesSource().includesClient() && mapperConfig.rolesClientId() != null
                ? realm.getClientByClientId(mapperConfig.rolesClientId()) : null;
        return new Setup(mapperConfig, rolesClient);
    }
}
