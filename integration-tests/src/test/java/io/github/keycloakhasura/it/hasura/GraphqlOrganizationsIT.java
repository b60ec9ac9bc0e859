package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.EmailRealm;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Mailbox;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The organization operations of the GraphQL API on the real export: organizationMembers and
 * removeOrganizationMember for an organization's admins (group {@code admins} → {@code org_admin}, Keycloak 26.6+) and
 * realm managers only; inviteOrganizationMember sends Keycloak's own invitation email (a real SMTP server, GreenMail)
 * whose token acceptOrganizationInvitation redeems for the addressee only, once.
 */
@ExtendWith(KeycloakExtension.class)
class GraphqlOrganizationsIT {

    private static final String PASSWORD = HasuraOrganizationsIT.PASSWORD;

    @RegisterExtension
    static final EmailRealm email = new EmailRealm();

    private static KeycloakServer server;
    private static String realm;
    private static KeycloakAdmin admin;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        server = keycloak;
        realm = email.name();
        admin = email.admin();
    }

    private static JsonNode graphql(String query, Map<String, Object> variables, String bearer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        Http.Response r = Http.json("POST", server.baseUrl() + "/realms/" + realm + "/graphql", body, bearer);
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    private static String token(String username) {
        JsonNode r = graphql("mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token refreshToken } }",
                Map.of("u", username, "p", PASSWORD), null);
        return HasuraOrganizationsIT.data(r).at("/tokenAuth/token").asText();
    }

    private static JsonNode members(String bearer, String orgId) {
        return graphql("query($o: ID!) { organizationMembers(organizationId: $o, first: 10) { totalCount items { id username } } }",
                Map.of("o", orgId), bearer);
    }

    private static JsonNode remove(String bearer, String orgId, String userId) {
        return graphql("mutation($o: ID!, $u: ID!) { removeOrganizationMember(organizationId: $o, userId: $u) { success } }",
                Map.of("o", orgId, "u", userId), bearer);
    }

    private static JsonNode invite(String bearer, String orgId, String email) {
        return graphql("mutation($o: ID!, $e: String!) { inviteOrganizationMember(organizationId: $o, email: $e) { success } }",
                Map.of("o", orgId, "e", email), bearer);
    }

    private static JsonNode accept(String bearer, String token) {
        return graphql("mutation($t: String!) { acceptOrganizationInvitation(token: $t) { success } }", Map.of("t", token), bearer);
    }

    private static List<String> usernames(JsonNode response) {
        List<String> names = new ArrayList<>();
        HasuraOrganizationsIT.data(response).at("/organizationMembers/items").forEach(n -> names.add(n.get("username").asText()));
        return names;
    }

    /** The invitation token of the first invitation email to {@code address} (the {@code key} of Keycloak's link). */
    private static String invitationToken(String address) {
        // Keycloak's text template writes the link's "=" as the HTML entity &#61;
        String body = Mailbox.text(email.mailbox().await(address, 1).get(0)).replace("&#61;", "=");
        Matcher matcher = Pattern.compile("(?:key|token)=([A-Za-z0-9._%-]+)").matcher(body);
        assertTrue(matcher.find(), "no invitation link in: " + body);
        return URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
    }

    @Test
    void membersAndRemovalAreForTheOrganizationsAdminsAndRealmManagersOnly() {
        String[] a = HasuraOrganizationsIT.organization(admin, "api-a");
        String[] b = HasuraOrganizationsIT.organization(admin, "api-b");
        String orgAdmin = unique("org-admin");
        String orgAdminId = admin.createUser(orgAdmin, PASSWORD, null);
        String member = unique("member");
        String memberId = admin.createUser(member, PASSWORD, null);
        String manager = unique("manager");
        admin.addRealmRoles(admin.createUser(manager, PASSWORD, null), "manager");
        HasuraOrganizationsIT.addMember(admin, a[0], orgAdminId);
        HasuraOrganizationsIT.addMember(admin, b[0], orgAdminId);
        HasuraOrganizationsIT.addMember(admin, a[0], memberId);
        HasuraOrganizationsIT.addMember(admin, b[0], memberId);
        HasuraOrganizationsIT.joinOrganizationGroup(admin, a[0], "admins", orgAdminId);

        String memberToken = token(member);
        assertEquals("FORBIDDEN", HasuraOrganizationsIT.errorCode(members(memberToken, a[0])));
        assertEquals("FORBIDDEN", HasuraOrganizationsIT.errorCode(remove(memberToken, a[0], orgAdminId)));
        assertEquals("FORBIDDEN", HasuraOrganizationsIT.errorCode(members(memberToken, "no-such-org")), "no existence oracle");
        String orgAdminToken = token(orgAdmin);
        assertEquals("FORBIDDEN", HasuraOrganizationsIT.errorCode(members(orgAdminToken, b[0])), "admin of A only");
        if (HasuraOrganizationsIT.organizationGroups()) {
            assertEquals(List.of(member, orgAdmin).stream().sorted().toList(), usernames(members(orgAdminToken, a[0])).stream().sorted().toList());
        } else {
            assertEquals("FORBIDDEN", HasuraOrganizationsIT.errorCode(members(orgAdminToken, a[0])), "no organization groups before 26.6");
        }
        String managerToken = token(manager);
        assertEquals(2, HasuraOrganizationsIT.data(members(managerToken, b[0])).at("/organizationMembers/totalCount").asInt());
        assertEquals("NOT_FOUND", HasuraOrganizationsIT.errorCode(members(managerToken, "no-such-org")));

        // Removal: the member's session loses B at its next refresh.
        JsonNode login = HasuraOrganizationsIT.data(graphql("mutation($u: String!, $p: String!, $o: String) { tokenAuth(username: $u, "
                + "password: $p, organization: $o) { token refreshToken } }", Map.of("u", member, "p", PASSWORD, "o", b[1]), null))
                .get("tokenAuth");
        assertEquals(b[0], HasuraOrganizationsIT.claims(login.get("token").asText()).path("x-hasura-org-id").asText());
        String remover = HasuraOrganizationsIT.organizationGroups() ? orgAdminToken : managerToken;
        assertEquals("FORBIDDEN", HasuraOrganizationsIT.errorCode(remove(orgAdminToken, b[0], memberId)), "not an admin of B");
        assertTrue(HasuraOrganizationsIT.data(remove(remover, a[0], memberId)).at("/removeOrganizationMember/success").asBoolean());
        assertTrue(HasuraOrganizationsIT.data(remove(managerToken, b[0], memberId)).at("/removeOrganizationMember/success").asBoolean());
        assertEquals("NOT_FOUND", HasuraOrganizationsIT.errorCode(remove(managerToken, b[0], memberId)));
        JsonNode refreshed = HasuraOrganizationsIT.claims(HasuraOrganizationsIT.data(graphql("mutation($r: String!) { refreshToken("
                + "refreshToken: $r) { token } }", Map.of("r", login.get("refreshToken").asText()), null)).at("/refreshToken/token").asText());
        assertFalse(refreshed.has("x-hasura-org-id"), refreshed.toString());
        assertEquals("{}", refreshed.path("x-hasura-org-ids").asText());
    }

    @Test
    void anInvitationEmailedByKeycloakJoinsOnlyTheCallerItIsAddressedToAndOnlyOnce() throws Exception {
        String[] a = HasuraOrganizationsIT.organization(admin, "invite-a");
        String manager = unique("inviter");
        admin.addRealmRoles(admin.createUser(manager, PASSWORD, null), "manager");
        String invitee = unique("invitee");
        String inviteeId = admin.createUser(invitee, PASSWORD, null);
        String other = unique("other");
        admin.createUser(other, PASSWORD, null);
        String address = invitee + "@example.test";

        assertEquals("FORBIDDEN", HasuraOrganizationsIT.errorCode(invite(token(other), a[0], address)), "only admins invite");
        assertEquals("BAD_USER_INPUT", HasuraOrganizationsIT.errorCode(invite(token(manager), a[0], "not-an-address")));
        assertTrue(HasuraOrganizationsIT.data(invite(token(manager), a[0], address)).at("/inviteOrganizationMember/success").asBoolean());
        String invitation = invitationToken(address);
        assertEquals("ORGIVT", Jwt.payload(invitation).path("typ").asText(), "Keycloak's own invitation token");

        assertEquals("FORBIDDEN", HasuraOrganizationsIT.errorCode(accept(token(other), invitation)), "addressed to someone else");
        assertEquals("UNAUTHENTICATED", HasuraOrganizationsIT.errorCode(accept(null, invitation)));
        assertEquals("INVALID_TOKEN", HasuraOrganizationsIT.errorCode(accept(token(invitee), invitation + "x")));
        String inviteeToken = token(invitee);
        assertTrue(HasuraOrganizationsIT.data(accept(inviteeToken, invitation)).at("/acceptOrganizationInvitation/success").asBoolean());
        assertEquals(200, admin.call("GET", "/organizations/" + a[0] + "/members/" + inviteeId, null).status());

        JsonNode orgs = HasuraOrganizationsIT.data(graphql("{ organizations { id alias } }", null, token(invitee)));
        assertEquals(a[0], orgs.at("/organizations/0/id").asText());
        JsonNode claims = HasuraOrganizationsIT.claims(token(invitee));
        assertEquals(a[0], claims.path("x-hasura-org-id").asText(), "the only organization is active: " + claims);

        // Once: removed again, the same invitation does not bring the user back.
        assertEquals(204, admin.call("DELETE", "/organizations/" + a[0] + "/members/" + inviteeId, null).status());
        assertEquals("INVALID_TOKEN", HasuraOrganizationsIT.errorCode(accept(token(invitee), invitation)));
    }
}
