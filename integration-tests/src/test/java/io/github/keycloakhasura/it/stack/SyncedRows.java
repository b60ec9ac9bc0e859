package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.sync.SyncSettings;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The rows Keycloak's {@code hasura-sync} wrote into the compose stack's Hasura, read with Hasura's admin secret (the
 * test's view, never the app's), waited for as the sync delivers them after commit. A wait that runs out names what it
 * saw last: the row, Keycloak's outbox and the listener's last log line about a failed delivery.
 */
final class SyncedRows {

    /**
     * How long a change may take to arrive: the worker is woken by the commit, so a change normally arrives at once;
     * one failed attempt puts the next one off by up to the default max backoff (docker-compose.yml does not lower it).
     */
    static final Duration ARRIVAL = Duration.ofSeconds(SyncSettings.DEFAULT_MAX_BACKOFF_SECONDS + 30);

    private static final String USER_COLUMNS =
            "id username email email_verified first_name last_name enabled created_at updated_at deleted_at";
    private static final String MEMBER_COLUMNS = "organization_id user_id created_at updated_at deleted_at";

    private final URI graphql;
    private final String adminSecret;
    private final KeycloakAdmin keycloakAdmin;
    private final Supplier<String> keycloakLogs;

    SyncedRows(URI graphql, String adminSecret, KeycloakAdmin keycloakAdmin, Supplier<String> keycloakLogs) {
        this.graphql = graphql;
        this.adminSecret = adminSecret;
        this.keycloakAdmin = keycloakAdmin;
        this.keycloakLogs = keycloakLogs;
    }

    /** The {@code users} row of a Keycloak user once it satisfies {@code wanted}. */
    JsonNode awaitUser(String userId, String what, Predicate<JsonNode> wanted) {
        return await(what + " (users row " + userId + ")", () -> first(asAdmin(
                "query($id: String!) { app_users(where: {id: {_eq: $id}}) { " + USER_COLUMNS + " } }",
                Map.of("id", userId)).get("app_users")), wanted);
    }

    /** The {@code organization_members} row of a membership once it satisfies {@code wanted}. */
    JsonNode awaitMembership(String organizationId, String userId, String what, Predicate<JsonNode> wanted) {
        return await(what + " (organization_members row " + organizationId + "/" + userId + ")", () -> first(asAdmin(
                "query($o: String!, $u: String!) { organization_members(where: {organization_id: {_eq: $o},"
                        + " user_id: {_eq: $u}}) { " + MEMBER_COLUMNS + " } }",
                Map.of("o", organizationId, "u", userId)).get("organization_members")), wanted);
    }

    /** A GraphQL request with Hasura's admin secret; its {@code data}, errors refused. */
    JsonNode asAdmin(String query, Map<String, Object> variables) {
        Http.Response r = asAdminResponse(query, variables);
        if (r.status() != 200 || !r.json().path("errors").isMissingNode()) {
            throw new AssertionError("Hasura (admin secret) refused " + query + ": " + r);
        }
        return r.json().get("data");
    }

    Http.Response asAdminResponse(String query, Map<String, Object> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        if (variables != null) {
            body.put("variables", variables);
        }
        try {
            return Http.send(HttpRequest.newBuilder(graphql)
                    .header("Content-Type", "application/json")
                    .header("X-Hasura-Admin-Secret", adminSecret)
                    .POST(HttpRequest.BodyPublishers.ofString(Http.JSON.writeValueAsString(body))));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode await(String what, Supplier<JsonNode> read, Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        JsonNode last;
        while (true) {
            last = read.get();
            if (last != null && wanted.test(last)) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Harness.sleep(250);
        }
        throw new AssertionError("hasura-sync did not deliver " + what + " within " + ARRIVAL.toSeconds() + " s; "
                + "last seen in Hasura: " + (last == null ? "no row" : last) + "; Keycloak's outbox: " + outbox()
                + "; Keycloak's last delivery failure: " + lastFailure());
    }

    private static JsonNode first(JsonNode rows) {
        return rows == null || rows.isEmpty() ? null : rows.get(0);
    }

    private String outbox() {
        try {
            return keycloakAdmin.call("GET", "/hasura-sync/outbox", null).toString();
        } catch (RuntimeException e) {
            return "unreadable (" + e + ")";
        }
    }

    /** The worker logs the first failed attempt of each entry (and every tenth) as "hasura-sync: entry … not delivered". */
    private String lastFailure() {
        List<String> failures = keycloakLogs.get().lines().filter(l -> l.contains("hasura-sync:")).toList();
        return failures.isEmpty() ? "none logged" : failures.get(failures.size() - 1);
    }
}
