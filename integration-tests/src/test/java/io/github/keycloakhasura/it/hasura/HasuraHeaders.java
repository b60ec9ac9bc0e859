package io.github.keycloakhasura.it.hasura;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The headers Hasura v2 puts on the requests it makes to a remote schema and to an auth webhook, rebuilt from
 * hasura/graphql-engine's server sources (read, not copied):
 * <ul>
 *   <li>{@code Hasura.Authentication.Headers.commonClientHeadersIgnored}: client headers Hasura never passes on;</li>
 *   <li>{@code Hasura.Server.Utils.mkClientHeadersForward}: with {@code forward_client_headers: true}, the client
 *   headers minus those, minus every {@code x-hasura-*} header, plus {@code X-Forwarded-Host} /
 *   {@code X-Forwarded-User-Agent} from the client's {@code Host} / {@code User-Agent};</li>
 *   <li>{@code Hasura.GraphQL.RemoteServer.execRemoteGQ}: configured headers, then the resolved session variables,
 *   then the forwarded client headers (first wins, names case-insensitive), then {@code addDefaultHeaders};</li>
 *   <li>{@code Hasura.HTTP.addDefaultHeaders}: {@code Content-Type: application/json} and Hasura's
 *   {@code User-Agent}, replacing any such header;</li>
 *   <li>{@code Hasura.Server.Auth.WebHook}: GET mode sends the client headers minus the ignored ones (client
 *   {@code x-hasura-*} headers included) plus the defaults; POST mode sends only the defaults and puts every
 *   client header, unfiltered, into the body's {@code "headers"} object.</li>
 * </ul>
 */
final class HasuraHeaders {

    /** One header as the client sent it (name spelled as sent). */
    record Header(String name, String value) {
    }

    static final Set<String> COMMON_CLIENT_HEADERS_IGNORED = Set.of(
            "content-length", "content-md5", "user-agent", "host", "origin", "referer", "accept", "accept-encoding",
            "accept-language", "accept-datetime", "cache-control", "connection", "dnt", "content-type");

    /** Hasura's own User-Agent ({@code hasura-graphql-engine/<version>}), the tag docker-compose.yml runs. */
    static final String USER_AGENT = "hasura-graphql-engine/v2.40.0";

    private HasuraHeaders() {
    }

    static boolean ignored(String name) {
        return COMMON_CLIENT_HEADERS_IGNORED.contains(name.toLowerCase(Locale.ROOT));
    }

    static boolean sessionVariable(String name) {
        return name.toLowerCase(Locale.ROOT).startsWith("x-hasura-");
    }

    /** {@code mkClientHeadersForward}. */
    static List<Header> clientHeadersForward(List<Header> client) {
        List<Header> out = new ArrayList<>();
        for (Header h : client) {
            if (h.name().equalsIgnoreCase("Host")) {
                out.add(new Header("X-Forwarded-Host", h.value()));
            } else if (h.name().equalsIgnoreCase("User-Agent")) {
                out.add(new Header("X-Forwarded-User-Agent", h.value()));
            }
        }
        for (Header h : client) {
            if (!ignored(h.name()) && !sessionVariable(h.name())) {
                out.add(h);
            }
        }
        return out;
    }

    /** The headers of Hasura's request to a remote schema (no configured headers, as in remote_schemas.yaml). */
    static Map<String, String> remoteSchemaRequest(List<Header> client, Map<String, String> session, boolean forwardClientHeaders) {
        Map<String, String> merged = caseInsensitive();
        // Map.union is left-biased: session variables win over client headers.
        session.forEach(merged::putIfAbsent);
        if (forwardClientHeaders) {
            for (Header h : clientHeadersForward(client)) {
                merged.putIfAbsent(h.name(), h.value());
            }
        }
        return withDefaults(merged);
    }

    /** The request headers of a GET-mode webhook call. */
    static Map<String, String> webhookGet(List<Header> client) {
        Map<String, String> headers = caseInsensitive();
        for (Header h : client) {
            if (!ignored(h.name())) {
                headers.put(h.name(), h.value());
            }
        }
        return withDefaults(headers);
    }

    /** The body's {@code "headers"} object of a POST-mode webhook call: every client header, names as sent. */
    static Map<String, String> webhookPostHeaders(List<Header> client) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        client.forEach(h -> headers.put(h.name(), h.value()));
        return headers;
    }

    /** The request headers of a POST-mode webhook call. */
    static Map<String, String> webhookPost() {
        return withDefaults(caseInsensitive());
    }

    private static Map<String, String> withDefaults(Map<String, String> headers) {
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", USER_AGENT);
        return headers;
    }

    private static Map<String, String> caseInsensitive() {
        return new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    }
}
