package io.github.keycloakhasura.mapper;

import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * At most one Hasura claims mapper per client, counting the client's own mappers and those of all its client scopes
 * (default and optional): with two, a token would carry the last one Keycloak applies while the webhook, {@code whoami}
 * and {@code jwt-config} read the first found. Checked when a mapper is saved ({@link #checkSaving}) and whenever one
 * is read ({@link #moreThanOne}: the {@code invalid_mapper_config} answer).
 */
final class OneHasuraMapper {

    private OneHasuraMapper() {
    }

    static Stream<ProtocolMapperModel> hasuraMappers(Stream<ProtocolMapperModel> mappers) {
        Map<String, ProtocolMapperModel> byId = new LinkedHashMap<>();
        mappers.filter(m -> HasuraClaimsMapper.PROVIDER_ID.equals(m.getProtocolMapper()))
                .forEach(m -> byId.putIfAbsent(m.getId() == null ? "name:" + m.getName() : m.getId(), m));
        return byId.values().stream();
    }

    /** The error for a client session or client that reaches several Hasura mappers. */
    static InvalidMapperConfigException moreThanOne(Collection<ProtocolMapperModel> found) {
        return new InvalidMapperConfigException("Found " + found.size() + " Hasura claims mappers ("
                + found.stream().map(m -> "\"" + m.getName() + "\"").collect(Collectors.joining(", "))
                + ") for one client, on the client itself or its client scopes: they would disagree on the session "
                + "variables. Keep exactly one.");
    }

    /**
     * Refuses to save {@code saved} into {@code container} (a client or a client scope) when a client that has or
     * uses the container would then reach a second Hasura mapper.
     *
     * @throws InvalidMapperConfigException naming the other mapper and where it is
     */
    static void checkSaving(RealmModel realm, ProtocolMapperContainerModel container, ProtocolMapperModel saved) {
        if (container instanceof ClientModel client) {
            checkClient(client, container, saved);
        } else if (container instanceof ClientScopeModel scope) {
            others(scope, container, saved).findFirst().ifPresent(other -> {
                throw refusal(other, "client scope \"" + scope.getName() + "\"");
            });
            realm.getClientsStream()
                    .filter(c -> scopes(c).anyMatch(s -> Objects.equals(s.getId(), scope.getId())))
                    .forEach(c -> checkClient(c, container, saved));
        }
    }

    private static void checkClient(ClientModel client, ProtocolMapperContainerModel container, ProtocolMapperModel saved) {
        others(client, container, saved).findFirst().ifPresent(other -> {
            throw refusal(other, "client \"" + client.getClientId() + "\"");
        });
        scopes(client).forEach(scope -> others(scope, container, saved).findFirst().ifPresent(other -> {
            throw refusal(other, "client scope \"" + scope.getName() + "\" of client \"" + client.getClientId() + "\"");
        }));
    }

    /** The Hasura mappers of {@code holder} other than {@code saved} (same id, or same name in the same container). */
    private static Stream<ProtocolMapperModel> others(ProtocolMapperContainerModel holder, ProtocolMapperContainerModel container,
                                                      ProtocolMapperModel saved) {
        boolean same = id(holder) != null && id(holder).equals(id(container));
        return hasuraMappers(holder.getProtocolMappersStream())
                .filter(m -> !(saved.getId() != null && saved.getId().equals(m.getId())))
                .filter(m -> !(same && Objects.equals(m.getName(), saved.getName())));
    }

    private static String id(ProtocolMapperContainerModel container) {
        if (container instanceof ClientModel client) {
            return client.getId();
        }
        return container instanceof ClientScopeModel scope ? scope.getId() : null;
    }

    private static Stream<ClientScopeModel> scopes(ClientModel client) {
        return Stream.concat(client.getClientScopes(true).values().stream(), client.getClientScopes(false).values().stream());
    }

    private static InvalidMapperConfigException refusal(ProtocolMapperModel other, String where) {
        return new InvalidMapperConfigException("A client may have only one Hasura claims mapper (its own or one of its "
                + "client scopes'), and \"" + other.getName() + "\" on " + where + " is one already: two would disagree "
                + "on the session variables. Change that mapper, or remove it first.");
    }
}
