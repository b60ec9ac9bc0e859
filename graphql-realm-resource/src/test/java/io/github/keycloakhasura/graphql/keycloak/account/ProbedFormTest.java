package io.github.keycloakhasura.graphql.keycloak.account;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbedFormTest {

    private static ProbedForm form() {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle("username", "ada");
        form.putSingle("password", "secret");
        return new ProbedForm(form);
    }

    @Test
    void onlyAskingForTheOtpMarksTheOtpStep() {
        ProbedForm form = form();
        assertEquals("ada", form.getFirst("username"));
        assertEquals("secret", form.getFirst("password"));
        form.putSingle(ProbedForm.TOTP, "123456");
        assertEquals("123456", form.getFirst(ProbedForm.TOTP));
        assertFalse(form.otpAsked(), "username, password and our own totp do not count");
        assertEquals(null, form.getFirst(ProbedForm.OTP));
        assertTrue(form.otpAsked());
    }

    @Test
    void copiesTheFormAndLeavesItAlone() {
        MultivaluedMap<String, String> original = new MultivaluedHashMap<>();
        original.putSingle("password", "one");
        ProbedForm form = new ProbedForm(original);
        form.putSingle("password", "two");
        assertEquals("one", original.getFirst("password"));
        assertEquals("two", form.getFirst("password"));
        assertFalse(form.otpAsked());
    }
}
