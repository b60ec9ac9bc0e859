package io.github.keycloakhasura.graphql.keycloak.account;

import jakarta.ws.rs.core.AbstractMultivaluedMap;
import jakarta.ws.rs.core.MultivaluedMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The form a password grant runs with, remembering which parameters were looked up in it. Keycloak's direct-grant
 * OTP step ({@code ValidateOTP}) looks up {@code otp} only for a user with OTP configured, and in the direct-grant
 * flow only once the username and password steps before it have succeeded: a grant without a code that looked it
 * up means "right password, code missing", which the API answers as OTP_REQUIRED. Nothing else looks up {@code otp}
 * (this API sends a code as {@code totp}, the other name the step reads).
 */
public final class ProbedForm extends AbstractMultivaluedMap<String, String> {

    public static final String OTP = "otp";
    /** The name Keycloak's direct-grant OTP step also reads (after {@code otp}). */
    public static final String TOTP = "totp";

    private final Set<Object> asked;

    /** A copy of {@code form}. */
    public ProbedForm(MultivaluedMap<String, String> form) {
        this(ConcurrentHashMap.newKeySet());
        form.forEach((name, values) -> put(name, new ArrayList<>(values))); // own lists: putSingle changes them in place
    }

    private ProbedForm(Set<Object> asked) {
        super(new HashMap<>() {
            @Override
            public List<String> get(Object key) {
                asked.add(key);
                return super.get(key);
            }
        });
        this.asked = asked;
    }

    /** Whether the OTP step ran (it asks for {@code otp} first). */
    public boolean otpAsked() {
        return asked.contains(OTP);
    }
}
