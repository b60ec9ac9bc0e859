package io.github.keycloakhasura.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.keycloakhasura.bench.Pair.Sides;
import io.github.keycloakhasura.it.support.FakeHasura;
import io.github.keycloakhasura.it.support.Http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sign-up ({@code createUser}) with the {@code hasura-sync} events listener on against off. One server, started with
 * the listener's {@code url} pointing at a Hasura played in this JVM ({@link FakeHasura}, answering as Hasura does);
 * two realms made after start from the project's realm export, identical but for the realm's event listeners:
 * {@value #SYNC_ON} keeps the export's {@code hasura-sync}, {@value #SYNC_OFF} has only {@code jboss-logging} (the
 * per-realm switch an operator has). Every request signs up a new user. The "on" side's cost is the outbox entry in
 * the sign-up's transaction; the delivery to Hasura (a client-credentials token, an HTTP call) runs on the listener's
 * worker, off the request, but on the same server, so its CPU is counted in that side's windows and just after.
 */
final class BenchSignUp {

    static final String SYNC_ON = "bench-sync-on";
    static final String SYNC_OFF = "bench-sync-off";
    private static final String SIGN_UP = "mutation($u: String!, $p: String!, $e: String!) { createUser(username: $u, password: $p, "
            + "email: $e) { user { id } token refreshToken } }";
    private static final Duration ARRIVAL = Duration.ofSeconds(60);

    private final BenchRealm realm;
    private final String baseUrl;
    private final FakeHasura hasura;
    private final AtomicLong signUps = new AtomicLong();
    private boolean ready;

    BenchSignUp(BenchRealm realm, String baseUrl, FakeHasura hasura) {
        this.realm = realm;
        this.baseUrl = baseUrl;
        this.hasura = hasura;
    }

    /** The two realms; then one sign-up in each, the "on" one checked to reach Hasura. Once. */
    private void setUp() {
        if (ready) {
            return;
        }
        for (String name : List.of(SYNC_ON, SYNC_OFF)) {
            realm.admin(name).importRealm(copy(name, name.equals(SYNC_ON) ? List.of("jboss-logging", "hasura-sync") : List.of("jboss-logging")));
        }
        String id = Requests.data(Http.json("POST", graphqlUrl(SYNC_ON), Map.of("query", SIGN_UP, "variables",
                Map.of("u", "bench-sync-check", "p", BenchRealm.PASSWORD, "e", "bench-sync-check@example.test")), null))
                .at("/createUser/user/id").asText();
        List<FakeHasura.Received> arrived = hasura.await(all -> all.stream().anyMatch(r -> r.accepted() && r.userId().equals(id)), ARRIVAL);
        if (arrived.stream().noneMatch(r -> r.userId().equals(id))) {
            throw new IllegalStateException("sign-up-sync: the sign-up did not reach the fake Hasura within " + ARRIVAL
                    + ": the pair would measure nothing");
        }
        ready = true;
    }

    /**
     * The project's realm export (the original, with the {@code hasura-sync} service account user, which the sync's
     * token needs) under {@code name}, with these event listeners and no other user.
     */
    private static ObjectNode copy(String name, List<String> listeners) {
        try {
            ObjectNode json = (ObjectNode) Http.JSON.readTree(Path.of(System.getProperty(LoadBenchmark.REALM_EXPORT)).toFile());
            json.put("realm", name);
            json.remove("id");
            JsonNode all = json.remove("users");
            ArrayNode users = json.putArray("users");
            for (JsonNode user : all) {
                if (user.has("serviceAccountClientId")) {
                    users.add(user);
                }
            }
            json.set("eventsListeners", Http.JSON.valueToTree(listeners));
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** createUser of a new user each time, in the realm without the sync vs. the realm with it. */
    Sides signUp() {
        setUp();
        return new Sides(signUps(SYNC_OFF), signUps(SYNC_ON));
    }

    private Load.Scenario signUps(String realmName) {
        String url = graphqlUrl(realmName);
        return new Load.Scenario() {
            @Override
            public HttpRequest request(int worker, long n) {
                String username = "su-" + worker + "-" + signUps.incrementAndGet();
                return Requests.graphql(url, SIGN_UP, Map.of("u", username, "p", BenchRealm.PASSWORD, "e", username + "@example.test"), null);
            }

            @Override
            public boolean ok(String body) {
                return Requests.graphqlOk(body);
            }
        };
    }

    private String graphqlUrl(String realmName) {
        return baseUrl + "/realms/" + realmName + "/graphql";
    }
}
