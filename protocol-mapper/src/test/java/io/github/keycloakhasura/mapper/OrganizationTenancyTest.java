package io.github.keycloakhasura.mapper;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrganizationTenancyTest {

    private static final OrganizationTenancy.Membership A = new OrganizationTenancy.Membership("id-a", "a");
    private static final OrganizationTenancy.Membership B = new OrganizationTenancy.Membership("id-b", "b");

    private static Optional<OrganizationTenancy.Membership> active(List<OrganizationTenancy.Membership> memberships,
                                                                   String requestedId, List<String> aliases, String remembered) {
        return OrganizationTenancy.active(new OrganizationTenancy.Inputs(memberships, requestedId, aliases, remembered));
    }

    @Test
    void theOnlyOrganizationIsActiveSeveralGiveNoneNoneGivesNone() {
        assertEquals(Optional.of(A), active(List.of(A), null, List.of(), null));
        assertEquals(Optional.empty(), active(List.of(A, B), null, List.of(), null));
        assertEquals(Optional.empty(), active(List.of(), null, List.of(), null));
    }

    @Test
    void anAliasAskedForByTheTokenWinsOverTheRememberedOneWhenTheUserIsAMember() {
        assertEquals(Optional.of(B), active(List.of(A, B), null, List.of("b"), "id-a"));
        assertEquals(Optional.empty(), active(List.of(A), null, List.of("b"), "id-a"), "not a member of b: none, never a");
        assertEquals(Optional.empty(), active(List.of(A, B), null, List.of("a", "b"), null), "two asked for: none");
    }

    @Test
    void theRememberedOrganizationHoldsWhileTheUserIsAMemberAndNothingReplacesItAfterwards() {
        assertEquals(Optional.of(B), active(List.of(A, B), null, List.of(), "id-b"));
        assertEquals(Optional.empty(), active(List.of(A), null, List.of(), "id-b"),
                "removed from the remembered organization: no active one, not silently the only one left");
    }

    @Test
    void anIdAskedForExplicitlyDecidesAloneAndOnlyAmongCurrentMemberships() {
        assertEquals(Optional.of(A), active(List.of(A, B), "id-a", List.of("b"), "id-b"));
        assertEquals(Optional.empty(), active(List.of(A, B), "id-c", List.of(), null));
        assertEquals(Optional.empty(), active(List.of(B), "id-a", List.of(), "id-a"));
    }

    @Test
    void requestedAliasesAreTheValuesOfOrganizationScopesButNotAllOrAny() {
        assertEquals(List.of(), OrganizationTenancy.requestedAliases(null));
        assertEquals(List.of(), OrganizationTenancy.requestedAliases("openid organization organization:* profile"));
        assertEquals(List.of("acme"), OrganizationTenancy.requestedAliases("openid  organization:acme email"));
        assertEquals(List.of("a", "b"), OrganizationTenancy.requestedAliases("organization:a organization:b organization:a"));
        assertEquals(List.of(), OrganizationTenancy.requestedAliases("organizations:x myorganization:y organization:"));
    }

    @Test
    void groupRolesFollowTheOptionAndNeverGiveAdmin() {
        HasuraMapperConfig config = HasuraMapperConfig.parse(Map.of(HasuraMapperConfig.ORGANIZATIONS, "true",
                HasuraMapperConfig.ORGANIZATION_GROUP_ROLES, "admins:org_admin, billing:org_billing, admins2:org_admin"));
        assertEquals(List.of("org_admin", "org_billing"), OrganizationTenancy.roles(config, List.of("billing", "admins", "admins2")));
        assertEquals(List.of(), OrganizationTenancy.roles(config, List.of("admin", "Admins", "org_admin")));
    }

    /**
     * Property: whatever organizations, groups and requests, the roles in the claims are the user's realm roles plus
     * exactly the mapped roles of the ACTIVE organization's groups; never admin. Seed: -Dorganizations.seed=….
     */
    @Test
    void generatedTenantsGetRolesOfTheActiveOrganizationOnly() {
        long seed = Long.getLong("organizations.seed", System.nanoTime());
        System.out.println("OrganizationTenancyTest seed: " + seed + " (replay with -Dorganizations.seed=" + seed + ")");
        Random random = new Random(seed);
        List<String> groupNames = List.of("admins", "admin", "billing", "members", "ops");
        HasuraMapperConfig config = HasuraMapperConfig.parse(Map.of(HasuraMapperConfig.ORGANIZATIONS, "true",
                HasuraMapperConfig.ORGANIZATION_GROUP_ROLES, "admins:org_admin,billing:org_billing,ops:admin_ops"));
        for (int round = 0; round < 2000; round++) {
            int count = random.nextInt(4);
            List<OrganizationTenancy.Membership> memberships = new ArrayList<>();
            Map<String, List<String>> groups = new HashMap<>();
            for (int i = 0; i < count; i++) {
                OrganizationTenancy.Membership m = new OrganizationTenancy.Membership("id-" + i, "alias-" + i);
                memberships.add(m);
                List<String> mine = new ArrayList<>();
                groupNames.forEach(g -> {
                    if (random.nextBoolean()) {
                        mine.add(g);
                    }
                });
                groups.put(m.id(), mine);
            }
            String requestedId = random.nextInt(4) == 0 ? "id-" + random.nextInt(5) : null;
            List<String> aliases = random.nextInt(3) == 0 ? List.of("alias-" + random.nextInt(5)) : List.of();
            String remembered = random.nextBoolean() ? "id-" + random.nextInt(5) : null;
            Optional<OrganizationTenancy.Membership> active = active(memberships, requestedId, aliases, remembered);
            String context = "seed " + seed + " round " + round;
            active.ifPresent(m -> assertTrue(memberships.contains(m), context));
            HasuraClaims.Tenancy tenancy = new HasuraClaims.Tenancy(memberships.stream().map(OrganizationTenancy.Membership::id).toList(),
                    active.map(OrganizationTenancy.Membership::id).orElse(null),
                    active.map(m -> groups.get(m.id())).orElse(List.of()));
            Map<String, Object> claims = HasuraClaims.compute(config, new HasuraClaims.Subject("u", "user", Map.of(),
                    List.of("user"), List.of(), List.of(), tenancy));
            @SuppressWarnings("unchecked")
            List<String> allowed = (List<String>) claims.get(HasuraMapperConfig.ALLOWED_ROLES);
            List<String> expected = new ArrayList<>(List.of("user"));
            expected.addAll(active.map(m -> OrganizationTenancy.roles(config, groups.get(m.id()))).orElse(List.of()));
            assertEquals(expected, allowed, context);
            assertFalse(allowed.contains("admin"), context);
            assertEquals(active.map(OrganizationTenancy.Membership::id).orElse(null), claims.get(HasuraMapperConfig.ORG_ID), context);
        }
    }
}
