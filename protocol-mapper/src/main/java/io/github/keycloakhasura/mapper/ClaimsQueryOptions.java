package io.github.keycloakhasura.mapper;

import io.github.keycloakhasura.options.OptionReader;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The mapper's claims query ("session variables from app data"), parsed and validated; part of
 * {@link HasuraMapperConfig}. One GraphQL query with the variable {@code $id} (Keycloak's user id) sent to Hasura; the
 * map names result paths whose values become session variables, never one of Hasura's reserved names
 * ({@link HasuraReservedNames}) nor one another option writes.
 *
 * @param url       Hasura's GraphQL endpoint; {@code null} when the claims query is off
 * @param query     the GraphQL query ({@code null} when off)
 * @param mappings  result paths to session variables, in the option's order (empty when off)
 * @param ttl       how long a user's values are reused (zero: never)
 * @param timeout   the whole call's deadline
 * @param onFailure what a failed call means for the token
 */
public record ClaimsQueryOptions(URI url, String query, List<Mapping> mappings, Duration ttl, Duration timeout,
                                 OnFailure onFailure) {

    public static final String URL = "hasura.claims-query.url";
    public static final String QUERY = "hasura.claims-query";
    public static final String MAP = "hasura.claims-query.map";
    public static final String TTL = "hasura.claims-query.ttl";
    public static final String TIMEOUT = "hasura.claims-query.timeout";
    public static final String ON_FAILURE = "hasura.claims-query.on-failure";

    public static final long DEFAULT_TTL_SECONDS = 60;
    public static final long MAX_TTL_SECONDS = 86_400;
    public static final long DEFAULT_TIMEOUT_MS = 500;
    public static final long MAX_TIMEOUT_MS = 30_000;

    /** The claims query is off. */
    public static final ClaimsQueryOptions OFF = new ClaimsQueryOptions(null, null, List.of(),
            Duration.ofSeconds(DEFAULT_TTL_SECONDS), Duration.ofMillis(DEFAULT_TIMEOUT_MS), OnFailure.CLOSED);

    private static final Pattern PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.([A-Za-z_][A-Za-z0-9_]*|[0-9]+))*");
    private static final Pattern ID_VARIABLE = Pattern.compile("\\$id\\b");

    /** What a failed claims query (timeout, HTTP or GraphQL error, a value that is no scalar) does. */
    public enum OnFailure {
        /** No token: the token request fails with a clear error (and the webhook and whoami refuse likewise). */
        CLOSED("closed"),
        /** The claims query's variables are left out; the rest of the claims is issued. */
        OMIT("omit");

        public final String value;

        OnFailure(String value) {
            this.value = value;
        }
    }

    /**
     * One result path and the session variable its value becomes.
     *
     * @param path     dot-separated field names (and list indexes) below {@code data}, e.g. {@code users_by_pk.plan}
     * @param variable the full claim name, {@code x-hasura-*}, lower case
     */
    public record Mapping(String path, String variable) {

        /** The path's segments. */
        public List<String> segments() {
            return List.of(path.split("\\."));
        }
    }

    public ClaimsQueryOptions {
        mappings = List.copyOf(mappings);
    }

    /** Whether a claims query runs. */
    public boolean enabled() {
        return url != null;
    }

    /**
     * @param used the session variable names the other options took; the claims query's are added to it
     */
    static ClaimsQueryOptions parse(OptionReader options, Set<String> used) {
        String url = options.text(URL, "");
        String query = options.text(QUERY, "");
        String map = options.text(MAP, "");
        Duration ttl = options.duration(TTL, ChronoUnit.SECONDS, DEFAULT_TTL_SECONDS, 0, MAX_TTL_SECONDS);
        Duration timeout = options.duration(TIMEOUT, ChronoUnit.MILLIS, DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS);
        OnFailure onFailure = options.choice(ON_FAILURE, OnFailure.CLOSED, OnFailure.values(), f -> f.value);
        if (url.isEmpty() && query.isEmpty() && map.isEmpty()) {
            return new ClaimsQueryOptions(null, null, List.of(), ttl, timeout, onFailure);
        }
        if (url.isEmpty() || query.isEmpty() || map.isEmpty()) {
            throw new InvalidMapperConfigException("The claims query needs all three of its URL (" + URL + "), its query ("
                    + QUERY + ") and its map (" + MAP + "); or none of them to leave it off.");
        }
        return new ClaimsQueryOptions(url(url), query(query), mappings(options.entries(MAP), used), ttl, timeout, onFailure);
    }

    private static URI url(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getUserInfo() == null
                    && uri.getFragment() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw new InvalidMapperConfigException("Claims query URL must be an absolute http(s) URL of Hasura's GraphQL "
                + "endpoint without user info, e.g. http://graphql-engine:8080/v1/graphql, not \"" + value + "\".");
    }

    private static String query(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("query") || lower.startsWith("{")) || !ID_VARIABLE.matcher(value).find()) {
            throw new InvalidMapperConfigException("Claims query must be one GraphQL query (not a mutation or "
                    + "subscription) using the variable $id, the Keycloak user id, e.g. "
                    + "query($id: String!) { users_by_pk(id: $id) { plan } }.");
        }
        return value;
    }

    private static List<Mapping> mappings(List<String> entries, Set<String> used) {
        List<Mapping> result = new ArrayList<>();
        for (String item : entries) {
            int colon = item.lastIndexOf(':');
            String path = colon < 0 ? "" : item.substring(0, colon).trim();
            String name = colon < 0 ? "" : item.substring(colon + 1).trim();
            if (!PATH.matcher(path).matches() || name.isEmpty()) {
                throw new InvalidMapperConfigException("Claims query map entry \"" + item + "\" must be path:name, the "
                        + "path made of field names (and list indexes) separated by dots, e.g. users_by_pk.plan:plan.");
            }
            result.add(new Mapping(path, SessionVariableParser.variableName("Claims query map", name, used)));
        }
        if (result.isEmpty()) {
            throw new InvalidMapperConfigException("Claims query map names no result path.");
        }
        return result;
    }
}
