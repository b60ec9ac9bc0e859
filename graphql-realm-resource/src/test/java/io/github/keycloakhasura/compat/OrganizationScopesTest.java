package io.github.keycloakhasura.compat;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrganizationScopesTest {

    @Test
    void before26Point7TheParameterNamesOnlyTheOrganizationFromThenOnEveryGrantedScopeToo() {
        assertEquals("organization:acme", OrganizationScopes.narrowing(List.of("openid", "profile"), "acme", false));
        assertEquals("openid profile organization:acme", OrganizationScopes.narrowing(List.of("openid", "profile"), "acme", true));
    }

    @Test
    void versionsAreComparedByMajorAndMinor() {
        assertTrue(OrganizationScopes.atLeast("26.7.3", 26, 7));
        assertTrue(OrganizationScopes.atLeast("27.0.0", 26, 7));
        assertFalse(OrganizationScopes.atLeast("26.5.6", 26, 7));
        assertFalse(OrganizationScopes.atLeast("26.4.7-SNAPSHOT", 26, 7));
        assertFalse(OrganizationScopes.atLeast("garbage", 26, 7));
    }
}
