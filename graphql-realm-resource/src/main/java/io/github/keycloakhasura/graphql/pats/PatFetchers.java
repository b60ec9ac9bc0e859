package io.github.keycloakhasura.graphql.pats;

import graphql.schema.DataFetchingEnvironment;
import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.TransactionMode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * createPersonalAccessToken, personalAccessTokens, revokePersonalAccessToken, tokenAuthWithPersonalAccessToken: each
 * reads its arguments and asks the {@link PersonalAccessTokens} port.
 */
public final class PatFetchers {

    /** What a fetcher needs of its request; the wiring provides it. */
    public interface Request {
        PersonalAccessTokens port(DataFetchingEnvironment env);

        Caller caller(DataFetchingEnvironment env);

        TransactionMode transaction(DataFetchingEnvironment env);
    }

    private final Request request;

    public PatFetchers(Request request) {
        this.request = request;
    }

    public Object create(DataFetchingEnvironment env) {
        PersonalAccessTokens.Created created = request.port(env).create(request.caller(env), env.getArgument("name"),
                env.getArgument("roles"), env.getArgument("expiresInDays"), request.transaction(env));
        return view(created.id(), created.name(), created.token(), created.roles(), null, null, created.expiresAt());
    }

    public Object list(DataFetchingEnvironment env) {
        return request.port(env).list(request.caller(env)).stream()
                .map(t -> view(t.id(), t.name(), null, t.roles(), t.createdAt(), t.lastUsedAt(), t.expiresAt()))
                .toList();
    }

    public Object revoke(DataFetchingEnvironment env) {
        return Map.of("success", request.port(env).revoke(request.caller(env), env.getArgument("id"), request.transaction(env)));
    }

    public Object login(DataFetchingEnvironment env) {
        return request.port(env).login(env.getArgument("token"));
    }

    private static Map<String, Object> view(String id, String name, String token, List<String> roles, String createdAt,
                                            String lastUsedAt, String expiresAt) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("name", name);
        view.put("token", token);
        view.put("roles", roles);
        view.put("createdAt", createdAt);
        view.put("lastUsedAt", lastUsedAt);
        view.put("expiresAt", expiresAt);
        return view;
    }

    /** A {@link Request} from three functions. */
    public static Request request(Function<DataFetchingEnvironment, PersonalAccessTokens> port,
                                  Function<DataFetchingEnvironment, Caller> caller,
                                  Function<DataFetchingEnvironment, TransactionMode> transaction) {
        return new Request() {
            @Override
            public PersonalAccessTokens port(DataFetchingEnvironment env) {
                return port.apply(env);
            }

            @Override
            public Caller caller(DataFetchingEnvironment env) {
                return caller.apply(env);
            }

            @Override
            public TransactionMode transaction(DataFetchingEnvironment env) {
                return transaction.apply(env);
            }
        };
    }
}
