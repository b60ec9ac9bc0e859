package io.github.keycloakhasura.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.json.Json;
import org.junit.jupiter.api.Test;

class HasuraMutationsTest {

    private static final UserSnapshot ADA = new UserSnapshot("u1", "ada", "ada@example.test", true, "Ada", null, true);

    private static JsonNode body(Change.Kind kind, String payload, SyncSettings.DeleteMode mode) throws Exception {
        return Json.mapper().readTree(HasuraMutations.body(kind, "u1", payload, 0L, mode));
    }

    @Test
    void anUpsertIsInsertUsersOneOnConflictWithTheUsersColumns() throws Exception {
        JsonNode b = body(Change.Kind.UPSERT, ADA.toJson(), SyncSettings.DeleteMode.SOFT);
        String query = b.get("query").asText();
        assertTrue(query.contains("insert_users_one(object: $user, on_conflict: {constraint: users_pkey, update_columns: "
                + "[username, email, email_verified, first_name, last_name, enabled]})"), query);
        JsonNode user = b.at("/variables/user");
        assertEquals("u1", user.get("id").asText());
        assertEquals("ada", user.get("username").asText());
        assertEquals("ada@example.test", user.get("email").asText());
        assertTrue(user.get("email_verified").asBoolean());
        assertEquals("Ada", user.get("first_name").asText());
        assertTrue(user.get("last_name").isNull());
        assertTrue(user.get("enabled").asBoolean());
    }

    @Test
    void aSoftDeleteSetsDeletedAtToTheTimeOfTheChangeAndAHardDeleteDeletes() throws Exception {
        JsonNode soft = body(Change.Kind.DELETE, null, SyncSettings.DeleteMode.SOFT);
        assertTrue(soft.get("query").asText().contains("update_users_by_pk(pk_columns: {id: $id}, _set: {deleted_at: $deleted_at})"));
        assertEquals("u1", soft.at("/variables/id").asText());
        assertEquals("1970-01-01T00:00:00Z", soft.at("/variables/deleted_at").asText());
        JsonNode hard = body(Change.Kind.DELETE, null, SyncSettings.DeleteMode.HARD);
        assertTrue(hard.get("query").asText().contains("delete_users_by_pk(id: $id)"));
        assertEquals("u1", hard.at("/variables/id").asText());
    }

    @Test
    void aJoinUpsertsTheMembersRowThenInsertsTheMembershipClearingASoftLeave() throws Exception {
        JsonNode b = body(Change.Kind.ORG_JOIN, new Membership("org1", ADA).toJson(), SyncSettings.DeleteMode.SOFT);
        String query = b.get("query").asText();
        int user = query.indexOf("insert_users_one(object: $user, on_conflict: {constraint: users_pkey, update_columns: "
                + "[username, email, email_verified, first_name, last_name, enabled]})");
        int member = query.indexOf("insert_organization_members_one(object: $member, on_conflict: "
                + "{constraint: organization_members_pkey, update_columns: [deleted_at]})");
        assertTrue(user >= 0 && member > user, query);
        assertEquals("ada", b.at("/variables/user/username").asText());
        assertEquals("u1", b.at("/variables/user/id").asText());
        assertEquals("org1", b.at("/variables/member/organization_id").asText());
        assertEquals("u1", b.at("/variables/member/user_id").asText());
        assertTrue(b.at("/variables/member").has("deleted_at") && b.at("/variables/member/deleted_at").isNull());
        assertEquals(b.get("query"), body(Change.Kind.ORG_JOIN, new Membership("org1", ADA).toJson(),
                SyncSettings.DeleteMode.HARD).get("query"));
    }

    @Test
    void aLeaveFollowsTheDeleteOption() throws Exception {
        String leave = new Membership("org1", null).toJson();
        JsonNode soft = body(Change.Kind.ORG_LEAVE, leave, SyncSettings.DeleteMode.SOFT);
        assertTrue(soft.get("query").asText().contains("update_organization_members_by_pk(pk_columns: "
                + "{organization_id: $organization_id, user_id: $user_id}, _set: {deleted_at: $deleted_at})"), soft.toString());
        assertEquals("org1", soft.at("/variables/organization_id").asText());
        assertEquals("u1", soft.at("/variables/user_id").asText());
        assertEquals("1970-01-01T00:00:00Z", soft.at("/variables/deleted_at").asText());
        JsonNode hard = body(Change.Kind.ORG_LEAVE, leave, SyncSettings.DeleteMode.HARD);
        assertTrue(hard.get("query").asText().contains(
                "delete_organization_members_by_pk(organization_id: $organization_id, user_id: $user_id)"), hard.toString());
        assertEquals("org1", hard.at("/variables/organization_id").asText());
        assertEquals("u1", hard.at("/variables/user_id").asText());
        assertTrue(hard.at("/variables/deleted_at").isMissingNode());
    }

    @Test
    void aJoinWithoutTheMembersOwnRowIsRefusedRatherThanSent() {
        String other = new Membership("org1", new UserSnapshot("u2", "bob", null, false, null, null, true)).toJson();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> HasuraMutations.body(Change.Kind.ORG_JOIN, "u1", other, 0L, SyncSettings.DeleteMode.SOFT));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> HasuraMutations.body(Change.Kind.ORG_JOIN, "u1", new Membership("org1", null).toJson(), 0L,
                        SyncSettings.DeleteMode.SOFT));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Membership.fromJson("{\"user\":null}"));
    }

    @Test
    void aMembershipSurvivesTheOutboxPayloadUnchanged() {
        assertEquals(new Membership("org1", ADA), Membership.fromJson(new Membership("org1", ADA).toJson()));
        assertEquals(new Membership("org1", null), Membership.fromJson(new Membership("org1", null).toJson()));
    }

    @Test
    void onlyA2xxAnswerWithDataAndNoErrorsIsDelivered() {
        assertNull(HasuraMutations.failure(200, "{\"data\":{\"insert_users_one\":{\"id\":\"u1\"}}}"));
        assertNull(HasuraMutations.failure(200, "{\"data\":{\"update_users_by_pk\":null}}"));
        assertNotNull(HasuraMutations.failure(200, "{\"errors\":[{\"message\":\"field not found\"}]}"));
        assertNotNull(HasuraMutations.failure(200, "{\"data\":null,\"errors\":[{\"message\":\"x\"}]}"));
        assertNotNull(HasuraMutations.failure(200, "{}"));
        assertNotNull(HasuraMutations.failure(200, "not json"));
        assertNotNull(HasuraMutations.failure(200, "[]"));
        assertNotNull(HasuraMutations.failure(503, "{\"data\":{}}"));
        assertNotNull(HasuraMutations.failure(401, ""));
    }

    @Test
    void aSnapshotSurvivesItsJson() {
        assertEquals(ADA, UserSnapshot.fromJson(ADA.toJson()));
    }
}
