package io.github.keycloakhasura.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.bench.Pair.Sides;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.SoftwareAuthenticator;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * {@code passkeyLogin} against the password grant. Each measured extension request is a whole sign-in as a browser
 * makes it: {@code passkeyLoginOptions} (a challenge), the authenticator's signature over it, then {@code passkeyLogin};
 * both GraphQL calls count in the time. The authenticator is the integration tests' software one (JDK P-256 keys,
 * CBOR, "none" attestation), its signing done in the load generator. Users {@code bench-pk-<w>-<k>} (a passkey each,
 * registered through GraphQL after start): each worker cycles through its own, as the login pair does with passwords.
 */
final class BenchPasskeys {

    /** One of hasura-app's web origins (its root URL). */
    static final String ORIGIN = "http://localhost:3000";
    private static final String REGISTRATION_OPTIONS = "mutation { passkeyRegistrationOptions }";
    private static final String REGISTER = "mutation($c: JSON!, $l: String) { passkeyRegister(credential: $c, label: $l) { success } }";
    private static final String LOGIN_OPTIONS = "mutation($u: String) { passkeyLoginOptions(username: $u) }";
    private static final String LOGIN = "mutation($c: JSON!) { passkeyLogin(credential: $c) { token refreshToken payload refreshExpiresIn } }";

    private final BenchRealm realm;
    private final String baseUrl;
    private final int workers;
    /** Per worker, per user: the user's name and authenticator (used by that worker's thread only). */
    private List<List<Map.Entry<String, SoftwareAuthenticator>>> users;
    /** Per worker: its next user (not the request number, which the warm-up's mix of both sides halves). */
    private final AtomicIntegerArray next;

    BenchPasskeys(BenchRealm realm, String baseUrl, int workers) {
        this.realm = realm;
        this.baseUrl = baseUrl;
        this.workers = workers;
        this.next = new AtomicIntegerArray(workers);
    }

    static String user(int w, int k) {
        return "bench-pk-" + w + "-" + k;
    }

    /** The users and their passkeys, registered as an app would (a fresh access token, the creation options); once. */
    private void setUp() {
        if (users != null) {
            return;
        }
        List<List<Map.Entry<String, SoftwareAuthenticator>>> all = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            List<Map.Entry<String, SoftwareAuthenticator>> own = new ArrayList<>();
            for (int k = 0; k < BenchRealm.LOGIN_USERS_PER_WORKER; k++) {
                String username = user(w, k);
                realm.admin().createUser(username, BenchRealm.PASSWORD, null);
                String token = Logins.retrying(realm, KeycloakServer.REALM, KeycloakServer.CLIENT_ID, username, null)
                        .get("access_token").asText();
                SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
                JsonNode options = Requests.data(Http.json("POST", graphqlUrl(), Map.of("query", REGISTRATION_OPTIONS), token))
                        .get("passkeyRegistrationOptions");
                Requests.data(Http.json("POST", graphqlUrl(), Map.of("query", REGISTER, "variables",
                        Map.of("c", authenticator.create(options, ORIGIN), "l", "bench")), token));
                own.add(Map.entry(username, authenticator));
            }
            all.add(own);
        }
        users = all;
    }

    /** Native: the password grant (the login pair's); extension: passkeyLoginOptions, then passkeyLogin. */
    Sides passkeyLogin(Load.Scenario passwordGrants) {
        setUp();
        Load.Scenario passkeys = new Load.Scenario() {
            @Override
            public HttpRequest request(int worker, long n) {
                throw new UnsupportedOperationException("a passkey sign-in is two requests");
            }

            @Override
            public HttpRequest request(int worker, long n, Load.Exchange exchange) throws IOException, InterruptedException {
                List<Map.Entry<String, SoftwareAuthenticator>> own = users.get(worker % users.size());
                Map.Entry<String, SoftwareAuthenticator> user = own.get(next.getAndIncrement(worker % workers) % own.size());
                Map<String, Object> variables = new HashMap<>();
                variables.put("u", user.getKey());
                JsonNode answer = Http.JSON.readTree(exchange.send(Requests.graphql(graphqlUrl(), LOGIN_OPTIONS, variables, null)));
                JsonNode options = answer.path("data").path("passkeyLoginOptions");
                if (!options.has("challenge")) {
                    throw new IOException("passkeyLoginOptions answered " + Load.abbreviate(answer.toString()));
                }
                return Requests.graphql(graphqlUrl(), LOGIN, Map.of("c", user.getValue().get(options, ORIGIN)), null);
            }

            @Override
            public boolean ok(String body) {
                return Requests.graphqlOk(body);
            }
        };
        return new Sides(passwordGrants, passkeys);
    }


    private String graphqlUrl() {
        return baseUrl + "/realms/" + KeycloakServer.REALM + "/graphql";
    }
}
