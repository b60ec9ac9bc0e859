package io.github.keycloakhasura.graphql;

import io.github.keycloakhasura.options.OptionReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.function.Function;

/**
 * Server options of the GraphQL endpoint, read once from {@code Config.Scope} (see CONFIG.md for the CLI names,
 * e.g. {@code --spi-realm-restapi-extension--graphql--client-id=hasura-app}). Invalid values fail start-up with a
 * message naming the option.
 *
 * @param clientId            client whose password and refresh grants tokenAuth/createUser use, and whose web
 *                            origins are the CORS allow-list
 * @param managerRole         realm role that may list users (besides realm-management view-users)
 * @param maxPageSize         largest {@code first} of users/usersPage, also the default page size
 * @param maxQueryDepth       deepest selection accepted (Hasura's introspection needs about 13)
 * @param maxQueryComplexity  most fields per operation (Hasura's introspection is about 200)
 * @param maxQueryTokens      most grammar tokens (names, punctuation, values) in a document, checked while parsing
 * @param maxRequestBytes     largest accepted request body
 * @param documentCacheSize   parsed and validated documents kept (by query text)
 * @param documentCacheBytes  estimated bytes all kept documents may take together (documents over 4 KB are not kept)
 * @param introspection       who may introspect the schema
 * @param introspectionHeader header carrying the introspection key when {@code introspection=header}
 * @param introspectionKey    its expected value
 * @param fastLists           whether lists of plain objects are completed in one loop (FastLists) rather than by
 *                            graphql-java's generic executor; the answers are the same
 */
public record GraphqlConfig(String clientId, String managerRole, int maxPageSize, int maxQueryDepth,
                            int maxQueryComplexity, int maxQueryTokens, int maxRequestBytes, int documentCacheSize,
                            long documentCacheBytes,
                            Introspection introspection, String introspectionHeader, String introspectionKey,
                            boolean fastLists) {

    /** The {@code realm-restapi-extension} provider id: the path {@code /realms/{realm}/graphql}, the options' scope. */
    public static final String PROVIDER_ID = "graphql";
    public static final String CLIENT_ID = "client-id";
    public static final String MANAGER_ROLE = "manager-role";
    public static final String MAX_PAGE_SIZE = "max-page-size";
    public static final String MAX_QUERY_DEPTH = "max-query-depth";
    public static final String MAX_QUERY_COMPLEXITY = "max-query-complexity";
    public static final String MAX_QUERY_TOKENS = "max-query-tokens";
    public static final String MAX_REQUEST_BYTES = "max-request-bytes";
    public static final String DOCUMENT_CACHE_SIZE = "document-cache-size";
    public static final String DOCUMENT_CACHE_BYTES = "document-cache-bytes";
    public static final String INTROSPECTION = "introspection";
    public static final String INTROSPECTION_HEADER = "introspection-header";
    public static final String INTROSPECTION_KEY = "introspection-key";
    public static final String FAST_LISTS = "fast-lists";

    public static final String DEFAULT_CLIENT_ID = "hasura-app";
    public static final String DEFAULT_MANAGER_ROLE = "manager";
    public static final int DEFAULT_MAX_PAGE_SIZE = 100;
    public static final int DEFAULT_MAX_QUERY_DEPTH = 20;
    public static final int DEFAULT_MAX_QUERY_COMPLEXITY = 1000;
    public static final int DEFAULT_MAX_QUERY_TOKENS = 2000;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 100_000;
    public static final int DEFAULT_DOCUMENT_CACHE_SIZE = 500;
    public static final long DEFAULT_DOCUMENT_CACHE_BYTES = 8L * 1024 * 1024;
    public static final String DEFAULT_INTROSPECTION_HEADER = "X-Introspection-Key";

    /** Who may run {@code __schema} / {@code __type} queries ({@code __typename} is always allowed). */
    public enum Introspection {
        /** Anyone, as Hasura's remote-schema introspection needs by default. */
        PUBLIC,
        /** Only requests carrying {@code introspection-header: introspection-key} (set it in Hasura's remote schema headers). */
        HEADER,
        /** Nobody. */
        DISABLED;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public GraphqlConfig {
        clientId = required(CLIENT_ID, clientId);
        managerRole = required(MANAGER_ROLE, managerRole);
        positive(MAX_PAGE_SIZE, maxPageSize);
        positive(MAX_QUERY_DEPTH, maxQueryDepth);
        positive(MAX_QUERY_COMPLEXITY, maxQueryComplexity);
        positive(MAX_QUERY_TOKENS, maxQueryTokens);
        positive(MAX_REQUEST_BYTES, maxRequestBytes);
        if (documentCacheSize < 0) {
            throw new IllegalArgumentException(DOCUMENT_CACHE_SIZE + " must be 0 or more, not " + documentCacheSize);
        }
        if (documentCacheBytes < 0) {
            throw new IllegalArgumentException(DOCUMENT_CACHE_BYTES + " must be 0 or more, not " + documentCacheBytes);
        }
        if (introspection == null) {
            introspection = Introspection.PUBLIC;
        }
        introspectionHeader = blank(introspectionHeader) ? DEFAULT_INTROSPECTION_HEADER : introspectionHeader.trim();
        if (introspection == Introspection.HEADER && blank(introspectionKey)) {
            throw new IllegalArgumentException(INTROSPECTION + "=header needs " + INTROSPECTION_KEY + " (the value Hasura sends in "
                    + introspectionHeader + ")");
        }
    }

    /** Whether a request may introspect, given a way to read its headers. */
    public boolean introspectionAllowed(Function<String, String> header) {
        return switch (introspection) {
            case PUBLIC -> true;
            case DISABLED -> false;
            case HEADER -> {
                String presented = header.apply(introspectionHeader);
                yield presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                        introspectionKey.getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    public static GraphqlConfig defaults() {
        return from(key -> null);
    }

    /** Reads the options through {@code get} (e.g. {@code scope::get}); absent options take their defaults. */
    public static GraphqlConfig from(Function<String, String> get) {
        OptionReader options = OptionReader.of(get);
        int max = Integer.MAX_VALUE;
        return new GraphqlConfig(
                options.text(CLIENT_ID, DEFAULT_CLIENT_ID),
                options.text(MANAGER_ROLE, DEFAULT_MANAGER_ROLE),
                options.integer(MAX_PAGE_SIZE, DEFAULT_MAX_PAGE_SIZE, 1, max),
                options.integer(MAX_QUERY_DEPTH, DEFAULT_MAX_QUERY_DEPTH, 1, max),
                options.integer(MAX_QUERY_COMPLEXITY, DEFAULT_MAX_QUERY_COMPLEXITY, 1, max),
                options.integer(MAX_QUERY_TOKENS, DEFAULT_MAX_QUERY_TOKENS, 1, max),
                options.integer(MAX_REQUEST_BYTES, DEFAULT_MAX_REQUEST_BYTES, 1, max),
                options.integer(DOCUMENT_CACHE_SIZE, DEFAULT_DOCUMENT_CACHE_SIZE, 0, max),
                options.longInteger(DOCUMENT_CACHE_BYTES, DEFAULT_DOCUMENT_CACHE_BYTES, 0, Long.MAX_VALUE),
                options.choiceIgnoringCase(INTROSPECTION, Introspection.PUBLIC, Introspection.values(), Introspection::value),
                options.text(INTROSPECTION_HEADER),
                get.apply(INTROSPECTION_KEY),
                options.bool(FAST_LISTS, true));
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be 1 or more, not " + value);
        }
    }

    private static String required(String name, String value) {
        if (blank(value)) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value.trim();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
