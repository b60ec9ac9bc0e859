package io.github.keycloakhasura.mapper;

import io.github.keycloakhasura.mapper.compat.OrganizationGroups;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.ArrayList;
import java.util.List;

/** The Hasura claims mapper's options as the admin console shows them (labels, help, defaults). */
final class HasuraMapperProperties {

    private HasuraMapperProperties() {
    }

    static List<ProviderConfigProperty> all() {
        List<ProviderConfigProperty> properties = new ArrayList<>();
        properties.add(property(HasuraMapperConfig.CLAIM_NAME,
                "Name of the claim holding Hasura's session variables. Written as one key: dots and slashes in it never "
                        + "create nested objects. Must match claims_namespace in HASURA_GRAPHQL_JWT_SECRET.",
                ProviderConfigProperty.STRING_TYPE, HasuraMapperConfig.DEFAULT_NAMESPACE));
        ProviderConfigProperty format = property(HasuraMapperConfig.CLAIMS_FORMAT,
                "'json' writes the claims as an object; 'stringified_json' writes them as a JSON string. Must match "
                        + "claims_format in HASURA_GRAPHQL_JWT_SECRET.",
                ProviderConfigProperty.LIST_TYPE, HasuraMapperConfig.Format.JSON.value);
        format.setOptions(List.of(HasuraMapperConfig.Format.JSON.value, HasuraMapperConfig.Format.STRINGIFIED_JSON.value));
        properties.add(format);
        ProviderConfigProperty source = property(HasuraMapperConfig.ROLES_SOURCE,
                "Which of the user's effective roles become Hasura roles: realm roles, client roles of the client named "
                        + "below, or both. Composite roles are expanded and the client's role scope applies, as for "
                        + "Keycloak's own role mappers. offline_access, uma_authorization and default-roles-* are never used.",
                ProviderConfigProperty.LIST_TYPE, HasuraMapperConfig.RolesSource.REALM.value);
        source.setOptions(List.of(HasuraMapperConfig.RolesSource.REALM.value, HasuraMapperConfig.RolesSource.CLIENT.value,
                HasuraMapperConfig.RolesSource.REALM_AND_CLIENT.value));
        properties.add(source);
        properties.add(property(HasuraMapperConfig.ROLES_CLIENT,
                "Client id whose client roles are used when the roles source includes client roles.",
                ProviderConfigProperty.STRING_TYPE, null));
        properties.add(property(HasuraMapperConfig.ROLES_PREFIX,
                "When set, only roles whose name starts with this prefix become Hasura roles (e.g. 'hasura-').",
                ProviderConfigProperty.STRING_TYPE, null));
        properties.add(property(HasuraMapperConfig.ROLES_PREFIX_STRIP,
                "Remove the prefix from role names ('hasura-editor' becomes 'editor').",
                ProviderConfigProperty.BOOLEAN_TYPE, "true"));
        properties.add(property(HasuraMapperConfig.ROLES_ALLOWED,
                "Comma-separated allow-list of Hasura role names (after prefix stripping). Empty allows every role "
                        + "except Hasura's 'admin', which is only ever issued when listed here.",
                ProviderConfigProperty.STRING_TYPE, null));
        properties.add(property(HasuraMapperConfig.FALLBACK_ROLE,
                "The only allowed role, and the default role, of a user who has none of the roles above. "
                        + "'admin' only when the allowed roles list it.",
                ProviderConfigProperty.STRING_TYPE, HasuraMapperConfig.DEFAULT_FALLBACK_ROLE));
        properties.add(property(HasuraMapperConfig.ROLE_PRIORITY,
                "Comma-separated roles, most privileged first (e.g. 'manager,user'): the first one the user has becomes "
                        + "x-hasura-default-role. Also orders x-hasura-allowed-roles.",
                ProviderConfigProperty.STRING_TYPE, null));
        properties.add(property(HasuraMapperConfig.DEFAULT_ROLE_ATTRIBUTE,
                "User attribute that overrides the default role when it names one of the user's allowed roles.",
                ProviderConfigProperty.STRING_TYPE, HasuraMapperConfig.DEFAULT_ROLE_ATTRIBUTE_NAME));
        ProviderConfigProperty userId = property(HasuraMapperConfig.USER_ID_SOURCE,
                "What becomes x-hasura-user-id: Keycloak's user id (the token's sub), the username, or a user attribute.",
                ProviderConfigProperty.LIST_TYPE, HasuraMapperConfig.UserIdSource.ID.value);
        userId.setOptions(List.of(HasuraMapperConfig.UserIdSource.ID.value, HasuraMapperConfig.UserIdSource.USERNAME.value,
                HasuraMapperConfig.UserIdSource.ATTRIBUTE.value));
        properties.add(userId);
        properties.add(property(HasuraMapperConfig.USER_ID_ATTRIBUTE,
                "User attribute used as x-hasura-user-id when the user id source is 'attribute'.",
                ProviderConfigProperty.STRING_TYPE, null));
        properties.add(property(HasuraMapperConfig.SESSION_VARIABLES,
                "Comma-separated user attributes exported as session variables: 'org_id' gives x-hasura-org_id, "
                        + "'org_id:org-id' gives x-hasura-org-id, 'teams[]:teams' always writes a Postgres array literal. "
                        + "Attributes with several values are written as Postgres array literals ({a,b}).",
                ProviderConfigProperty.STRING_TYPE, null));
        properties.add(property(HasuraMapperConfig.GROUPS_VARIABLE,
                "When set (e.g. 'groups'), the user's group paths are written as x-hasura-<name> = {/a,/a/b}.",
                ProviderConfigProperty.STRING_TYPE, null));
        properties.add(property(HasuraMapperConfig.ORGANIZATIONS,
                "Writes Keycloak organizations as Hasura tenancy: x-hasura-org-id (the token's active organization: the "
                        + "one logged in or switched to, else the user's only one; absent otherwise) and x-hasura-org-ids "
                        + "(every organization of the user, {id1,id2}). Needs Organizations enabled in the realm.",
                ProviderConfigProperty.BOOLEAN_TYPE, "false"));
        properties.add(property(HasuraMapperConfig.ORGANIZATION_GROUP_ROLES,
                "Comma-separated group:role entries (e.g. 'admins:org_admin'): members of that group of the ACTIVE "
                        + "organization get the Hasura role in x-hasura-allowed-roles; a group of another organization "
                        + "never counts, and 'admin' is never given. "
                        + (OrganizationGroups.supported() ? "Organization groups exist since Keycloak 26.6."
                        : "This Keycloak release has no organization groups (they exist since 26.6): this option has no "
                        + "effect here."),
                ProviderConfigProperty.STRING_TYPE, HasuraMapperConfig.DEFAULT_ORGANIZATION_GROUP_ROLES));
        properties.add(property(HasuraMapperConfig.ORGANIZATION_ADMIN_ROLE,
                "The organization role (from the group roles above) whose holders may list, invite and remove that "
                        + "organization's members through the GraphQL endpoint. Never 'admin'.",
                ProviderConfigProperty.STRING_TYPE, HasuraMapperConfig.DEFAULT_ORGANIZATION_ADMIN_ROLE));
        properties.add(property(HasuraMapperConfig.ELEVATION_WINDOW,
                "Tokens issued within this many seconds after a step-up proof (GraphQL elevate: password or OTP) "
                        + "carry x-hasura-auth-elevated = the user id; later refreshes drop it. 0 turns it off.",
                ProviderConfigProperty.STRING_TYPE, String.valueOf(Elevation.DEFAULT_WINDOW_SECONDS)));
        properties.add(property(ClaimsQueryOptions.URL,
                "Hasura's GraphQL endpoint for session variables from the app's data (e.g. "
                        + "http://graphql-engine:8080/v1/graphql). Empty: no claims query. Sent with the service account "
                        + "hasura-sync's access token.",
                ProviderConfigProperty.STRING_TYPE, null));
        properties.add(property(ClaimsQueryOptions.QUERY,
                "One GraphQL query with the variable $id (the Keycloak user id), e.g. "
                        + "query($id: String!) { users_by_pk(id: $id) { plan team_id } }.",
                ProviderConfigProperty.TEXT_TYPE, null));
        properties.add(property(ClaimsQueryOptions.MAP,
                "Comma-separated path:name entries: the value at the result path becomes x-hasura-<name>, e.g. "
                        + "users_by_pk.plan:plan,users_by_pk.team_id:team-id. A missing or null value leaves the variable "
                        + "out; lists become Postgres array literals. Never one of Hasura's reserved names.",
                ProviderConfigProperty.STRING_TYPE, null));
        properties.add(property(ClaimsQueryOptions.TTL,
                "How long a user's values are reused, counted from the query (never longer); 0 asks every time.",
                ProviderConfigProperty.STRING_TYPE, String.valueOf(ClaimsQueryOptions.DEFAULT_TTL_SECONDS)));
        properties.add(property(ClaimsQueryOptions.TIMEOUT,
                "The whole call's deadline (connection, answer and body).",
                ProviderConfigProperty.STRING_TYPE, String.valueOf(ClaimsQueryOptions.DEFAULT_TIMEOUT_MS)));
        ProviderConfigProperty onFailure = property(ClaimsQueryOptions.ON_FAILURE,
                "'closed': a failed query (timeout, HTTP or GraphQL error) issues no token, with a clear error; "
                        + "'omit': the token is issued without the query's variables.",
                ProviderConfigProperty.LIST_TYPE, ClaimsQueryOptions.OnFailure.CLOSED.value);
        onFailure.setOptions(List.of(ClaimsQueryOptions.OnFailure.CLOSED.value, ClaimsQueryOptions.OnFailure.OMIT.value));
        properties.add(onFailure);
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(properties, HasuraClaimsMapper.class);
        // A new mapper stays out of ID tokens: an ID token with Hasura's claims opens Hasura when jwt-config has no
        // audience (Keycloak's helper offers "on" for every mapper).
        properties.stream().filter(p -> OIDCAttributeMapperHelper.INCLUDE_IN_ID_TOKEN.equals(p.getName()))
                .forEach(p -> p.setDefaultValue("false"));
        return List.copyOf(properties);
    }

    private static ProviderConfigProperty property(String name, String help, String type, String defaultValue) {
        ProviderConfigProperty p = new ProviderConfigProperty();
        p.setName(name);
        p.setLabel(MapperOptions.label(name));
        p.setHelpText(help);
        p.setType(type);
        p.setDefaultValue(defaultValue);
        return p;
    }
}
