package io.github.keycloakhasura.graphql.organizations;

import graphql.schema.DataFetchingEnvironment;
import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.PendingActionInput;
import io.github.keycloakhasura.graphql.api.TransactionMode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The organization operations: tokenAuth's {@code organization}, switchOrganization, organizations,
 * organizationMembers, inviteOrganizationMember, acceptOrganizationInvitation, removeOrganizationMember. Each reads
 * its arguments and asks the {@link OrganizationsPort}. What they need of the request (the port, the caller, the
 * transaction a mutation runs in, the page size) comes through {@link Request}, which the schema's wiring provides.
 */
public final class OrganizationFetchers {

    private static final String CURSOR_PREFIX = "members:";

    /** What a fetcher needs of its request; the wiring implements it with the request's context. */
    public interface Request {
        OrganizationsPort organizations(DataFetchingEnvironment env);

        Caller caller(DataFetchingEnvironment env);

        TransactionMode transaction(DataFetchingEnvironment env);

        int maxPageSize(DataFetchingEnvironment env);

        /** tokenAuth's input for pending required actions, read and checked as tokenAuth reads it. */
        PendingActionInput pending(DataFetchingEnvironment env);
    }

    private final Request request;

    public OrganizationFetchers(Request request) {
        this.request = request;
    }

    public Object tokenAuth(DataFetchingEnvironment env) {
        return request.organizations(env).login(env.getArgument("username"), env.getArgument("password"),
                env.getArgument("clientId"), env.getArgument("scope"), env.getArgument("otp"), request.pending(env),
                env.getArgument("organization"));
    }

    public Object switchOrganization(DataFetchingEnvironment env) {
        return request.organizations(env).switchOrganization(env.getArgument("refreshToken"), env.getArgument("organization"),
                request.transaction(env));
    }

    public Object organizations(DataFetchingEnvironment env) {
        return request.organizations(env).organizations(request.caller(env));
    }

    public Object organizationMembers(DataFetchingEnvironment env) {
        int max = request.maxPageSize(env);
        Integer first = env.getArgument("first");
        int size = first == null ? max : first;
        if (size < 1 || size > max) {
            throw GraphqlException.badInput("first must be between 1 and " + max);
        }
        int offset = offset(env.getArgument("after"));
        OrganizationsPort.MemberPage page = request.organizations(env).members(request.caller(env),
                env.getArgument("organizationId"), offset, size);
        boolean more = page.items().size() > size;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("items", more ? page.items().subList(0, size) : page.items());
        result.put("totalCount", page.totalCount());
        result.put("endCursor", more ? cursor(offset + size) : null);
        result.put("hasNextPage", more);
        return result;
    }

    public Object inviteOrganizationMember(DataFetchingEnvironment env) {
        return mutation(env, (port) -> port.invite(request.caller(env), env.getArgument("organizationId"),
                env.getArgument("email"), request.transaction(env)));
    }

    public Object acceptOrganizationInvitation(DataFetchingEnvironment env) {
        return mutation(env, (port) -> port.accept(request.caller(env), env.getArgument("token"), request.transaction(env)));
    }

    public Object removeOrganizationMember(DataFetchingEnvironment env) {
        return mutation(env, (port) -> port.remove(request.caller(env), env.getArgument("organizationId"),
                env.getArgument("userId"), request.transaction(env)));
    }

    private Object mutation(DataFetchingEnvironment env, Function<OrganizationsPort, Boolean> work) {
        return Map.of("success", Boolean.TRUE.equals(work.apply(request.organizations(env))));
    }

    static String cursor(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((CURSOR_PREFIX + offset).getBytes(StandardCharsets.UTF_8));
    }

    static int offset(String after) {
        if (after == null || after.isBlank()) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(after.trim()), StandardCharsets.UTF_8);
            if (text.startsWith(CURSOR_PREFIX)) {
                int offset = Integer.parseInt(text.substring(CURSOR_PREFIX.length()));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw GraphqlException.badInput("after is not a cursor returned by organizationMembers");
    }
}
