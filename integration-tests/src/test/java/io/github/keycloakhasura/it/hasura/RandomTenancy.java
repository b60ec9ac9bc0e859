package io.github.keycloakhasura.it.hasura;

import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A random world of Keycloak organizations for {@link HasuraOrganizationTenancyPropertyIT}, and its oracle: the
 * organizations, who is a member of which and in which of its groups (Keycloak 26.6+), the mapper's random
 * group-to-role option, and what the rules say a token's active organization and roles must be. The oracle is
 * written from the text, not from the extension's code.
 */
final class RandomTenancy {

    /** Group names the organizations have; "admin" and "Admins" included on purpose. */
    static final List<String> GROUPS = List.of("admins", "admin", "Admins", "editors", "billing", "readers");
    /** Hasura roles the option may give (never "admin": the mapper refuses it, checked on save). */
    static final List<String> ROLES = List.of("org_admin", "editor", "viewer", "billing_admin", "auditor");

    record Org(String id, String alias) {
    }

    /** One user: realm roles the export allows, and per organization id the groups the user is in there. */
    record User(String id, String username, Set<String> baseRoles, Map<String, Set<String>> groups) {
        boolean member(String orgId) {
            return groups.containsKey(orgId);
        }
    }

    final Random random;
    final boolean organizationGroups;
    final Map<String, String> groupRoles = new LinkedHashMap<>();
    final List<Org> orgs = new ArrayList<>();
    private final Map<String, Map<String, String>> groupIds = new LinkedHashMap<>();

    RandomTenancy(Random random, boolean organizationGroups) {
        this.random = random;
        this.organizationGroups = organizationGroups;
        int entries = 1 + random.nextInt(4);
        for (int i = 0; i < entries; i++) {
            groupRoles.put(GROUPS.get(random.nextInt(GROUPS.size())), ROLES.get(random.nextInt(ROLES.size())));
        }
    }

    /** The option's value: {@code group:role,…}; with {@code withAdmin}, one more entry giving Hasura's admin. */
    String option(boolean withAdmin) {
        List<String> entries = new ArrayList<>();
        groupRoles.forEach((g, r) -> entries.add(g + ":" + r));
        if (withAdmin) {
            entries.add(random.nextInt(entries.size() + 1), GROUPS.get(random.nextInt(GROUPS.size())) + ":admin");
        }
        return String.join(",", entries);
    }

    /** {@code count} organizations, each with every group of {@link #GROUPS} (26.6+). */
    void createOrganizations(KeycloakAdmin admin, int count) {
        for (int i = 0; i < count; i++) {
            String[] org = HasuraOrganizationsIT.organization(admin, "prop");
            orgs.add(new Org(org[0], org[1]));
            Map<String, String> ids = new LinkedHashMap<>();
            if (organizationGroups) {
                for (String group : GROUPS) {
                    Http.Response r = admin.call("POST", "/organizations/" + org[0] + "/groups", Map.of("name", group));
                    assertEquals(201, r.status(), r.toString());
                    String location = r.header("Location");
                    ids.put(group, location.substring(location.lastIndexOf('/') + 1));
                }
            }
            groupIds.put(org[0], ids);
        }
    }

    /** A user with random realm roles, memberships and organization groups. */
    User createUser(KeycloakAdmin admin) {
        String username = KeycloakAdmin.unique("tenant");
        String id = admin.createUser(username, HasuraOrganizationsIT.PASSWORD, null);
        Set<String> base = new TreeSet<>(List.of("user"));
        if (random.nextInt(3) == 0) {
            base.add("manager");
        }
        admin.addRealmRoles(id, base.toArray(String[]::new));
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        for (Org org : orgs) {
            if (random.nextInt(10) < 6) {
                HasuraOrganizationsIT.addMember(admin, org.id(), id);
                Set<String> in = new TreeSet<>();
                for (String group : organizationGroups ? GROUPS : List.<String>of()) {
                    if (random.nextInt(10) < 4) {
                        Http.Response r = admin.call("PUT", "/organizations/" + org.id() + "/groups/"
                                + groupIds.get(org.id()).get(group) + "/members/" + id, null);
                        assertTrue(r.status() < 300, r.toString());
                        in.add(group);
                    }
                }
                groups.put(org.id(), in);
            }
        }
        return new User(id, username, base, groups);
    }

    /** Removes the user from the organization, in Keycloak and in the model. */
    static void remove(KeycloakAdmin admin, User user, String orgId) {
        assertEquals(204, admin.call("DELETE", "/organizations/" + orgId + "/members/" + user.id(), null).status());
        user.groups().remove(orgId);
    }

    /** The id of the organization with {@code alias}. */
    String idOf(String alias) {
        return orgs.stream().filter(o -> o.alias().equals(alias)).findFirst().orElseThrow().id();
    }

    Org org(String id) {
        return orgs.stream().filter(o -> o.id().equals(id)).findFirst().orElseThrow();
    }

    /** An organization alias or id to ask for: mostly the user's, sometimes another one, rarely one that does not exist. */
    Org pick(User user) {
        List<Org> mine = orgs.stream().filter(o -> user.member(o.id())).toList();
        int dice = random.nextInt(10);
        if (dice == 0) {
            return new Org("no-such-" + random.nextInt(1000), "no-such-" + random.nextInt(1000));
        }
        if (dice < 7 && !mine.isEmpty()) {
            return mine.get(random.nextInt(mine.size()));
        }
        return orgs.get(random.nextInt(orgs.size()));
    }

    /**
     * The active organization by the rules: the one the token asked for ({@code organization:<alias>}) if
     * the user is a member now; else the one the session remembers if still a member; else the only one; else none.
     */
    static String active(User user, String askedAliasOrgId, String remembered) {
        if (askedAliasOrgId != null) {
            return user.member(askedAliasOrgId) ? askedAliasOrgId : null;
        }
        if (remembered != null) {
            return user.member(remembered) ? remembered : null;
        }
        return user.groups().size() == 1 ? user.groups().keySet().iterator().next() : null;
    }

    /** The Hasura roles the user's groups in {@code orgId} give (none without an active organization). */
    Set<String> orgRoles(User user, String orgId) {
        Set<String> roles = new TreeSet<>();
        if (orgId != null && organizationGroups) {
            for (String group : user.groups().getOrDefault(orgId, Set.of())) {
                if (groupRoles.containsKey(group)) {
                    roles.add(groupRoles.get(group));
                }
            }
        }
        return roles;
    }

    /** The allowed roles with {@code orgId} active: the realm's plus that organization's only. */
    Set<String> allowed(User user, String orgId) {
        Set<String> roles = new TreeSet<>(user.baseRoles());
        roles.addAll(orgRoles(user, orgId));
        return roles;
    }

    /** Roles the user holds in some organization other than {@code orgId} and nowhere else: must not appear. */
    Set<String> foreignOnly(User user, String orgId) {
        Set<String> foreign = new LinkedHashSet<>();
        for (String other : user.groups().keySet()) {
            if (!other.equals(orgId)) {
                foreign.addAll(orgRoles(user, other));
            }
        }
        foreign.removeAll(allowed(user, orgId));
        return foreign;
    }

    /** {@code x-hasura-org-ids}: Hasura's array literal of the user's current organizations. */
    static String idsLiteral(User user) {
        return "{" + String.join(",", new TreeSet<>(user.groups().keySet())) + "}";
    }
}
