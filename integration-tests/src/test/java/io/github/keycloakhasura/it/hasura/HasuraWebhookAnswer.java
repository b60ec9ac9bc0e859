package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;

import java.io.IOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A webhook answer read the way Hasura reads it ({@code Hasura.Server.Auth.WebHook.mkUserInfoFromResp},
 * {@code Hasura.Session.mkUserInfo}): 200 with a JSON object of string values only (anything else is a 500 for the
 * client) that holds {@code x-hasura-role} (otherwise Hasura answers 400 "x-hasura-role not found in session
 * variables"); 401 means unauthorized; any other status is an error. The session's lifetime comes from the body's
 * {@code "Cache-Control"} max-age, else its {@code "Expires"} (keys looked up exactly as spelled).
 */
/** {@code problem}: why an ERROR, or the warning Hasura would log for a SESSION whose lifetime it cannot read. */
record HasuraWebhookAnswer(Outcome outcome, Map<String, String> session, Instant expiry, String problem) {

    enum Outcome { SESSION, UNAUTHORIZED, ERROR }

    private static final Pattern MAX_AGE = Pattern.compile("(?:^|,)\\s*(?:s-)?max-age\\s*=\\s*(\\d+)\\s*(?:,|$)");

    static HasuraWebhookAnswer read(Http.Response response) {
        if (response.status() == 401) {
            return new HasuraWebhookAnswer(Outcome.UNAUTHORIZED, Map.of(), null, null);
        }
        if (response.status() != 200) {
            return error("status " + response.status());
        }
        JsonNode body;
        try {
            body = Http.JSON.readTree(response.body());
        } catch (IOException e) {
            return error("not JSON: " + response.body());
        }
        if (body == null || !body.isObject()) {
            return error("not a JSON object: " + response.body());
        }
        Map<String, String> vars = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                return error("value of " + e.getKey() + " is not a string: " + e.getValue());
            }
            vars.put(e.getKey(), e.getValue().asText());
        }
        String role = null;
        for (Map.Entry<String, String> e : vars.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals("x-hasura-role")) {
                role = e.getValue();
            }
        }
        if (role == null || role.isEmpty()) {
            return error("x-hasura-role not found in session variables: " + vars);
        }
        // Hasura only logs a warning for an unreadable Cache-Control / Expires and then caches nothing.
        Instant expiry = null;
        String warning = null;
        if (vars.containsKey("Cache-Control")) {
            Matcher m = MAX_AGE.matcher(vars.get("Cache-Control").toLowerCase(Locale.ROOT));
            if (m.find()) {
                expiry = Instant.now().plusSeconds(Long.parseLong(m.group(1)));
            } else {
                warning = "Cache-Control without max-age: " + vars.get("Cache-Control");
            }
        }
        if (expiry == null && vars.containsKey("Expires")) {
            try {
                expiry = ZonedDateTime.parse(vars.get("Expires"), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                warning = "Expires is not an HTTP date: " + vars.get("Expires");
            }
        }
        return new HasuraWebhookAnswer(Outcome.SESSION, vars, expiry, warning);
    }

    private static HasuraWebhookAnswer error(String problem) {
        return new HasuraWebhookAnswer(Outcome.ERROR, Map.of(), null, problem);
    }

    String variable(String name) {
        return session.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
