package io.github.keycloakhasura.graphql.keycloak;

import jakarta.ws.rs.core.AbstractMultivaluedMap;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import org.keycloak.http.FormPartValue;
import org.keycloak.http.HttpRequest;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The current HTTP request as Keycloak's token and revocation endpoints expect it: a form POST carrying
 * {@code form}. Everything else (client address, URI for the issuer and brute force, TLS chain, Origin) is the real
 * request's. {@code Authorization} and {@code DPoP} are dropped so a caller's bearer token is never mistaken for
 * client credentials or a proof.
 */
public final class FormRequest implements HttpRequest {

    private final HttpRequest delegate;
    private final MultivaluedMap<String, String> form;
    private final HttpHeaders headers;

    public FormRequest(HttpRequest delegate, MultivaluedMap<String, String> form) {
        this.delegate = delegate;
        this.form = form;
        this.headers = new FormHeaders(delegate.getHttpHeaders());
    }

    @Override
    public String getHttpMethod() {
        return "POST";
    }

    @Override
    public MultivaluedMap<String, String> getDecodedFormParameters() {
        return form;
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
        return delegate.getClientCertificateChain();
    }

    @Override
    public UriInfo getUri() {
        return delegate.getUri();
    }

    @Override
    public boolean isProxyTrusted() {
        return delegate.isProxyTrusted();
    }

    private static final class FormHeaders implements HttpHeaders {
        private final HttpHeaders delegate;
        private final MultivaluedMap<String, String> map =
                new AbstractMultivaluedMap<String, String>(new TreeMap<>(String.CASE_INSENSITIVE_ORDER)) {
                };

        FormHeaders(HttpHeaders delegate) {
            this.delegate = delegate;
            delegate.getRequestHeaders().forEach((name, values) -> map.put(name, new ArrayList<>(values)));
            map.remove(HttpHeaders.AUTHORIZATION);
            map.remove("DPoP");
            map.remove(HttpHeaders.CONTENT_LENGTH);
            map.putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_FORM_URLENCODED);
        }

        @Override
        public List<String> getRequestHeader(String name) {
            return map.get(name);
        }

        @Override
        public String getHeaderString(String name) {
            List<String> values = map.get(name);
            return values == null ? null : String.join(",", values);
        }

        @Override
        public MultivaluedMap<String, String> getRequestHeaders() {
            return map;
        }

        @Override
        public List<MediaType> getAcceptableMediaTypes() {
            return delegate.getAcceptableMediaTypes();
        }

        @Override
        public List<Locale> getAcceptableLanguages() {
            return delegate.getAcceptableLanguages();
        }

        @Override
        public MediaType getMediaType() {
            return MediaType.APPLICATION_FORM_URLENCODED_TYPE;
        }

        @Override
        public Locale getLanguage() {
            return delegate.getLanguage();
        }

        @Override
        public Map<String, Cookie> getCookies() {
            return delegate.getCookies();
        }

        @Override
        public Date getDate() {
            return delegate.getDate();
        }

        @Override
        public int getLength() {
            return -1;
        }
    }
}
