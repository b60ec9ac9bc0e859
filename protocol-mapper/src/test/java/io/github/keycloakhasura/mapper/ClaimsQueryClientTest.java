package io.github.keycloakhasura.mapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP side against a local server: what is sent, and every failure a short, safe message. */
class ClaimsQueryClientTest {

    private HttpServer server;
    private final AtomicReference<byte[]> answer = new AtomicReference<>();
    private final AtomicReference<Integer> status = new AtomicReference<>(200);
    private final AtomicReference<Long> delay = new AtomicReference<>(0L);
    private final AtomicReference<String> seenBody = new AtomicReference<>();
    private final AtomicReference<String> seenAuthorization = new AtomicReference<>();
    private final ClaimsQueryClient client = ClaimsQueryClient.create();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/graphql", exchange -> {
            seenBody.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            seenAuthorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            try {
                Thread.sleep(delay.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = answer.get();
            try {
                exchange.sendResponseHeaders(status.get(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (IOException gone) {
                // the client gave up
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        answer.set("{\"data\":{\"users_by_pk\":{\"plan\":\"pro\"}}}".getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ClaimsQueryOptions options(String timeout) {
        return HasuraMapperConfig.parse(Map.of(ClaimsQueryOptions.URL, "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/graphql",
                ClaimsQueryOptions.QUERY, "query($id: String!) { users_by_pk(id: $id) { plan } }",
                ClaimsQueryOptions.MAP, "users_by_pk.plan:plan", ClaimsQueryOptions.TIMEOUT, timeout)).claimsQuery();
    }

    @Test
    void postsTheQueryWithTheUserIdAndTheBearer() throws Exception {
        JsonNode result = client.send(options("2000"), "user-1", "tok.en.sig");
        assertEquals("pro", result.at("/data/users_by_pk/plan").asText());
        JsonNode body = new ObjectMapper().readTree(seenBody.get());
        assertEquals("query($id: String!) { users_by_pk(id: $id) { plan } }", body.get("query").asText());
        assertEquals("user-1", body.at("/variables/id").asText());
        assertEquals("Bearer tok.en.sig", seenAuthorization.get());
    }

    @Test
    void aLateAnswerIsATimeoutWithinTheDeadline() {
        delay.set(1_500L);
        long started = System.nanoTime();
        ClaimsQueryFailure failure = assertThrows(ClaimsQueryFailure.class, () -> client.send(options("200"), "u", "t"));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals("Hasura did not answer the claims query within 200 ms", failure.getMessage());
        assertTrue(tookMs < 1_200, "gave up after " + tookMs + " ms");
    }

    @Test
    void anHttpErrorATooLargeOrNonJsonAnswerFailWithoutDetailsOfTheRequest() {
        status.set(500);
        assertEquals("Hasura answered the claims query with HTTP 500",
                assertThrows(ClaimsQueryFailure.class, () -> client.send(options("2000"), "u", "secret-token")).getMessage());
        status.set(200);
        answer.set(new byte[ClaimsQueryClient.MAX_ANSWER_BYTES + 1]);
        ClaimsQueryFailure large = assertThrows(ClaimsQueryFailure.class, () -> client.send(options("2000"), "u", "secret-token"));
        assertEquals("Hasura's answer to the claims query is larger than 65536 bytes", large.getMessage());
        answer.set("<html>".getBytes(StandardCharsets.UTF_8));
        ClaimsQueryFailure html = assertThrows(ClaimsQueryFailure.class, () -> client.send(options("2000"), "u", "secret-token"));
        assertEquals("Hasura's answer to the claims query is not JSON", html.getMessage());
        assertTrue(!html.detail().contains("secret-token") && !large.detail().contains("secret-token"));
    }

    @Test
    void noServerIsAFailure() {
        ClaimsQueryOptions options = options("2000");
        server.stop(0);
        assertThrows(ClaimsQueryFailure.class, () -> client.send(options, "u", "t"));
    }
}
