package io.github.keycloakhasura.bridge;

import org.keycloak.common.ClientConnection;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import org.keycloak.http.FormPartValue;
import org.keycloak.http.HttpRequest;
import org.keycloak.http.HttpResponse;
import org.keycloak.models.KeycloakSession;

/**
 * The request of a session that serves none (a background thread): only its base URI, so Keycloak's hostname provider
 * can work out the issuer. Keycloak does the same for its own background work ({@code DefaultBruteForceProtector}).
 */
final class DetachedRequest implements HttpRequest {

    private final UriInfo uri;
    private final HttpHeaders headers;

    private DetachedRequest(URI base) {
        this.uri = uriInfo(base);
        this.headers = noHeaders();
    }

    static boolean hasRequest(KeycloakSession s) {
        try {
            return s.getContext().getHttpRequest() != null;
        } catch (RuntimeException noActiveRequest) { // ContextNotActiveException
            return false;
        }
    }

    static void attach(KeycloakSession s, URI base) {
        s.getContext().setHttpRequest(new DetachedRequest(base));
        s.getContext().setHttpResponse(new NoResponse());
        // Keycloak 26.4 otherwise reads the connection from the current Vert.x request, which a background thread lacks.
        s.getContext().setConnection(LOCAL);
    }

    /** The connection of work this node does by itself (events and brute-force bookkeeping see 127.0.0.1). */
    private static final ClientConnection LOCAL = new ClientConnection() {
        @Override
        public String getRemoteAddr() {
            return "127.0.0.1";
        }

        @Override
        public String getRemoteHost() {
            return "localhost";
        }

        @Override
        public int getRemotePort() {
            return 0;
        }

        @Override
        public String getLocalAddr() {
            return "127.0.0.1";
        }

        @Override
        public int getLocalPort() {
            return 0;
        }
    };

    @Override
    public String getHttpMethod() {
        return "POST";
    }

    @Override
    public MultivaluedMap<String, String> getDecodedFormParameters() {
        return new MultivaluedHashMap<>();
    }

    @Override
    public MultivaluedMap<String, FormPartValue> getMultiPartFormParameters() {
        return new MultivaluedHashMap<>();
    }

    @Override
    public HttpHeaders getHttpHeaders() {
        return headers;
    }

    @Override
    public X509Certificate[] getClientCertificateChain() {
        return null;
    }

    @Override
    public UriInfo getUri() {
        return uri;
    }

    @Override
    public boolean isProxyTrusted() {
        return false;
    }

    private static UriInfo uriInfo(URI base) {
        URI normalized = base.toString().endsWith("/") ? base : URI.create(base + "/");
        return (UriInfo) Proxy.newProxyInstance(UriInfo.class.getClassLoader(), new Class<?>[] {UriInfo.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBaseUri", "getRequestUri", "getAbsolutePath" -> normalized;
                    case "getBaseUriBuilder", "getRequestUriBuilder", "getAbsolutePathBuilder" ->
                            UriBuilder.fromUri(normalized);
                    case "getPath" -> "/";
                    case "getQueryParameters", "getPathParameters" -> new MultivaluedHashMap<String, String>();
                    case "toString" -> "DetachedRequest(" + normalized + ")";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("no request: UriInfo." + method.getName());
                });
    }

    private static HttpHeaders noHeaders() {
        return (HttpHeaders) Proxy.newProxyInstance(HttpHeaders.class.getClassLoader(), new Class<?>[] {HttpHeaders.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRequestHeader", "getAcceptableMediaTypes", "getAcceptableLanguages" -> List.of();
                    case "getRequestHeaders" -> new MultivaluedHashMap<String, String>();
                    case "getCookies" -> Map.of();
                    case "getLength" -> -1;
                    case "getLanguage" -> Locale.ROOT;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null; // getHeaderString, getMediaType, getDate: absent
                });
    }

    private static final class NoResponse implements HttpResponse {
        @Override
        public int getStatus() {
            return -1;
        }

        @Override
        public void setStatus(int statusCode) {
        }

        @Override
        public void addHeader(String name, String value) {
        }

        @Override
        public void setHeader(String name, String value) {
        }

        @Override
        public void setCookieIfAbsent(NewCookie cookie) {
        }
    }
}
