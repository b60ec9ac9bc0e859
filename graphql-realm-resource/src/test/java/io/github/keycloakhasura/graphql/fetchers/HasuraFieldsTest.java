package io.github.keycloakhasura.graphql.fetchers;

import io.github.keycloakhasura.variables.SessionVariables;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.spi.Capabilities;
import io.github.keycloakhasura.graphql.QueryBackend;
import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.graphql.api.Backend;
import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.UserView;
import io.github.keycloakhasura.graphql.engine.GraphqlEngine;
import io.github.keycloakhasura.graphql.engine.GraphqlRequest;
import io.github.keycloakhasura.graphql.http.ResponseWriter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code User.hasura} and {@code profile { role }} ask the backend for the request's caller: session variables on the
 * caller's own record only, the role with the caller (so the caller's client); a bad mapper config is an
 * INVALID_MAPPER_CONFIG error on exactly those fields, the others still answer.
 */
class HasuraFieldsTest {

    private final GraphqlConfig config = GraphqlConfig.from(key -> null);
    private final GraphqlEngine engine = new GraphqlEngine(config, Capabilities.schema());

    private String answer(Backend backend, String query) {
        GraphqlEngine.Outcome outcome = engine.execute(new GraphqlRequest(query, null, null),
                new RequestContext(backend, config, List.of("Bearer x")).asGraphqlContext(), true);
        return new String(ResponseWriter.write(outcome.body()), StandardCharsets.UTF_8);
    }

    @Test
    void sessionVariablesOnTheCallersOwnRecordOnlyAndRolesForTheCaller() {
        Directory backend = new Directory(false);
        assertEquals("{\"data\":{\"whoami\":{\"id\":\"me\",\"hasura\":{\"x-hasura-default-role\":\"user\"},"
                        + "\"profile\":{\"role\":\"user for me as seen by me\"}}}}",
                answer(backend, "{ whoami { id hasura profile { role } } }"));
        assertEquals("{\"data\":{\"users\":[{\"id\":\"me\",\"hasura\":{\"x-hasura-default-role\":\"user\"}},"
                        + "{\"id\":\"other\",\"hasura\":null}]}}",
                answer(backend, "{ users { id hasura } }"));
        assertEquals("{\"data\":{\"user\":{\"profile\":{\"role\":\"user for other as seen by me\"}}}}",
                answer(backend, "{ user(id: \"other\") { profile { role } } }"));
        assertEquals(List.of("me", "me"), backend.sessionVariablesAskedFor, "asked for the caller's own record only");
    }

    @Test
    void aBadMapperConfigIsAnErrorOnTheFieldsThatNeedTheMapperOnly() {
        Directory backend = new Directory(true);
        assertEquals("{\"errors\":[{\"message\":\"bad mapper\",\"locations\":[{\"line\":1,\"column\":15}],"
                        + "\"path\":[\"whoami\",\"hasura\"],\"extensions\":{\"code\":\"INVALID_MAPPER_CONFIG\"}}],"
                        + "\"data\":{\"whoami\":{\"id\":\"me\",\"hasura\":null}}}",
                answer(backend, "{ whoami { id hasura } }"));
        assertEquals("{\"errors\":[{\"message\":\"bad mapper\",\"locations\":[{\"line\":1,\"column\":26}],"
                        + "\"path\":[\"user\",\"profile\"],\"extensions\":{\"code\":\"INVALID_MAPPER_CONFIG\"}}],"
                        + "\"data\":{\"user\":{\"id\":\"other\",\"profile\":null}}}",
                answer(backend, "{ user(id: \"other\") { id profile { role } } }"));
        assertEquals("{\"data\":{\"whoami\":{\"id\":\"me\",\"username\":\"me\"}}}", answer(backend, "{ whoami { id username } }"));
    }

    /** Two users, the caller is "me"; the Hasura answers name who asked, or fail as a bad mapper config does. */
    private static final class Directory implements QueryBackend {

        private final boolean badMapper;
        private final List<String> sessionVariablesAskedFor = new ArrayList<>();

        Directory(boolean badMapper) {
            this.badMapper = badMapper;
        }

        private static UserView view(String id) {
            return new UserView(id, id, null, null, null, true, true, null, null);
        }

        private void failIfBad() {
            if (badMapper) {
                throw new GraphqlException(ErrorCode.INVALID_MAPPER_CONFIG, "bad mapper");
            }
        }

        @Override
        public Caller caller(List<String> authorization) {
            return () -> "me";
        }

        @Override
        public UserView whoami(Caller caller) {
            return view(caller.userId());
        }

        @Override
        public SessionVariables sessionVariables(Caller caller) {
            failIfBad();
            sessionVariablesAskedFor.add(caller.userId());
            return new SessionVariables.Variables(Map.of("x-hasura-default-role", "user"));
        }

        @Override
        public String hasuraRole(Caller caller, String userId) {
            failIfBad();
            return "user for " + userId + " as seen by " + (caller == null ? null : caller.userId());
        }

        @Override
        public void requireUserViewer(Caller caller) {
        }

        @Override
        public List<UserView> users(String search, int offset, int size) {
            return List.of(view("me"), view("other"));
        }

        @Override
        public int countUsers(String search) {
            return 2;
        }

        @Override
        public Optional<UserView> user(String id) {
            return Optional.of(view(id));
        }

        @Override
        public List<String> roles(String userId) {
            return List.of();
        }

    }
}
