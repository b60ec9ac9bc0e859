package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.keycloakhasura.it.support.ExportRealms;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Tokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;

/**
 * A realm of its own made from the real realm export ({@code realm-export/app-realm.json}), edited before the import
 * (the admin console's checks never run on an import), with the calls the Hasura tests make against it: logins of
 * {@code hasura-app}, the webhook (GET and POST), GraphQL, jwt-config.
 */
final class HasuraRealm implements AutoCloseable {

    static final String CLIENT = "hasura-app";
    static final String PASSWORD = "Secret-pass-123";
    static final String HASURA_MAPPER = "hasura-claims-mapper";

    final String name;
    final KeycloakAdmin admin;
    final Tokens tokens;
    private final KeycloakServer server;

    private HasuraRealm(KeycloakServer server, String name) {
        this.server = server;
        this.name = name;
        this.admin = new KeycloakAdmin(server, name);
        this.tokens = new Tokens(server, name);
    }

    /** Imports the export under a unique name after {@code edit} changed it. */
    static HasuraRealm imported(KeycloakServer server, String prefix, Consumer<ObjectNode> edit) {
        String name = unique(prefix);
        ObjectNode export;
        try {
            export = ExportRealms.copyNamed(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        edit.accept(export);
        HasuraRealm realm = new HasuraRealm(server, name);
        realm.admin.importRealm(export);
        return realm;
    }

    /** An edit: the export's Hasura mapper (in client scope {@code hasura}) gets {@code changes}. */
    static Consumer<ObjectNode> hasuraMapperConfig(Map<String, String> changes) {
        return export -> {
            ObjectNode config = (ObjectNode) hasuraMapper(export).get("config");
            changes.forEach(config::put);
        };
    }

    /** The Hasura mapper of the export's {@code hasura} client scope. */
    static ObjectNode hasuraMapper(ObjectNode export) {
        for (JsonNode mapper : scope(export, "hasura").path("protocolMappers")) {
            if (HASURA_MAPPER.equals(mapper.path("protocolMapper").asText())) {
                return (ObjectNode) mapper;
            }
        }
        throw new AssertionError("the export's hasura scope has no Hasura mapper");
    }

    static ObjectNode scope(ObjectNode export, String scopeName) {
        for (JsonNode scope : export.get("clientScopes")) {
            if (scopeName.equals(scope.path("name").asText())) {
                return (ObjectNode) scope;
            }
        }
        throw new AssertionError("the export has no client scope " + scopeName);
    }

    /** The export's client {@code hasura-app}. */
    static ObjectNode client(ObjectNode export) {
        for (JsonNode client : export.get("clients")) {
            if (CLIENT.equals(client.path("clientId").asText())) {
                return (ObjectNode) client;
            }
        }
        throw new AssertionError("the export has no client " + CLIENT);
    }

    /** Adds {@code mapper} (a protocol mapper representation) to {@code holder}'s protocolMappers. */
    static void addMapper(ObjectNode holder, Map<String, Object> mapper) {
        JsonNode existing = holder.get("protocolMappers");
        ArrayNode mappers = existing instanceof ArrayNode array ? array : holder.putArray("protocolMappers");
        mappers.add(Http.JSON.valueToTree(mapper));
    }

    String url(String path) {
        return server.baseUrl() + "/realms/" + name + path;
    }

    /** A user with {@code attributes} and existing realm {@code roles}; returns [id, username]. */
    String[] user(Map<String, List<String>> attributes, String... roles) {
        String username = unique("u");
        String id = admin.createUser(username, PASSWORD, attributes);
        if (roles.length > 0) {
            admin.addRealmRoles(id, roles);
        }
        return new String[] {id, username};
    }

    /** A password grant of {@code hasura-app} with scope {@code openid}: the whole token response. */
    JsonNode login(String username) {
        return tokens.login(CLIENT, username, PASSWORD, "openid");
    }

    String accessToken(String username) {
        return login(username).get("access_token").asText();
    }

    Http.Response webhookGet(String bearer, String role) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/hasura/webhook"))).GET()
                .header("Authorization", "Bearer " + bearer);
        if (role != null) {
            b.header("X-Hasura-Role", role);
        }
        return Http.send(b);
    }

    Http.Response webhookPost(String bearer, String role) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + bearer);
        if (role != null) {
            headers.put("X-Hasura-Role", role);
        }
        return Http.json("POST", url("/hasura/webhook"), Map.of("headers", headers, "request", Map.of()), null);
    }

    /** A GraphQL request: the whole answer ({@code data} and {@code errors}). */
    JsonNode graphql(String query, Map<String, Object> variables, String bearer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        Http.Response r = Http.json("POST", url("/graphql"), body, bearer);
        if (r.status() != 200) {
            throw new AssertionError("graphql: " + r);
        }
        return r.json();
    }

    Http.Response get(String path) {
        return Http.get(url(path), null);
    }

    /** The id of the Hasura mapper of client scope {@code hasura}. */
    String hasuraScopeId() {
        for (JsonNode scope : admin.call("GET", "/client-scopes", null).json()) {
            if ("hasura".equals(scope.path("name").asText())) {
                return scope.get("id").asText();
            }
        }
        throw new AssertionError("no client scope hasura in " + name);
    }

    /** {@code /client-scopes/{hasura}/protocol-mappers/models}: the admin REST path of the hasura scope's mappers. */
    String hasuraScopeModels() {
        return "/client-scopes/" + hasuraScopeId() + "/protocol-mappers/models";
    }

    /** The Hasura mapper of client scope {@code hasura}, as the admin REST API represents it. */
    ObjectNode hasuraScopeMapper() {
        for (JsonNode mapper : admin.call("GET", hasuraScopeModels(), null).json()) {
            if (HASURA_MAPPER.equals(mapper.path("protocolMapper").asText())) {
                return (ObjectNode) mapper;
            }
        }
        throw new AssertionError("no Hasura mapper in client scope hasura of " + name);
    }

    @Override
    public void close() {
        admin.deleteRealm();
    }
}
