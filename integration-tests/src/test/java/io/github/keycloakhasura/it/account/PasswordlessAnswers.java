package io.github.keycloakhasura.it.account;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Mailbox;
import jakarta.mail.internet.MimeMessage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the passwordless ITs' answers: the emailed code, GraphQL data and errors (no stack trace leaks). */
final class PasswordlessAnswers {

    private PasswordlessAnswers() {
    }

    static String code(MimeMessage message) {
        Matcher m = Pattern.compile("(?:code|Code ein): (\\d{6})").matcher(Mailbox.text(message));
        if (!m.find()) {
            throw new AssertionError("no code in: " + Mailbox.text(message));
        }
        return m.group(1);
    }

    static boolean success(Http.Response response) {
        return data(response).get("sendLoginLink").get("success").asBoolean();
    }

    static JsonNode data(Http.Response response) {
        assertEquals(200, response.status(), response.toString());
        JsonNode json = response.json();
        assertTrue(json.path("errors").isMissingNode(), "unexpected errors: " + response.body());
        return json.get("data");
    }

    static JsonNode error(Http.Response response, String code) {
        assertEquals(200, response.status(), response.toString());
        JsonNode errors = response.json().get("errors");
        assertNotNull(errors, "expected errors: " + response.body());
        assertEquals(code, errors.get(0).path("extensions").path("code").asText(), response.body());
        for (String leak : List.of("Exception", "\tat ", "org.keycloak", "io.github")) {
            assertFalse(response.body().contains(leak), "response leaks '" + leak + "': " + response.body());
        }
        return errors.get(0);
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            Harness.sleep(200);
        }
        throw new AssertionError("timed out waiting for: " + what);
    }
}
