package io.github.keycloakhasura.graphql.organizations;

import graphql.schema.DataFetchingEnvironment;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.capability.Transactions;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The organization operations: switchOrganization, organizations,
 * organizationMembers, inviteOrganizationMember, acceptOrganizationInvitation, removeOrganizationMember. Each reads
 * its arguments and asks the {@link OrganizationsPort}. What they need of the request (the port, the caller, the
 * transaction a mutation runs in, the page size) comes from the kernel: {@link RequestContext}, {@link Transactions}.
 */
public final class OrganizationFetchers {

    private static final String CURSOR_PREFIX = "members:";

    private OrganizationFetchers() {
    }

    static Object switchOrganization(DataFetchingEnvironment env) {
        return port(env).switchOrganization(env.getArgument("refreshToken"), env.getArgument("organization"),
                Transactions.of(env));
    }

    static Object organizations(DataFetchingEnvironment env) {
        return port(env).organizations(RequestContext.of(env).caller());
    }

    static Object organizationMembers(DataFetchingEnvironment env) {
        int max = RequestContext.of(env).config().maxPageSize();
        Integer first = env.getArgument("first");
        int size = first == null ? max : first;
        if (size < 1 || size > max) {
            throw GraphqlException.badInput("first must be between 1 and " + max);
        }
        int offset = offset(env.getArgument("after"));
        OrganizationsPort.MemberPage page = port(env).members(RequestContext.of(env).caller(),
                env.getArgument("organizationId"), offset, size);
        boolean more = page.items().size() > size;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("items", more ? page.items().subList(0, size) : page.items());
        result.put("totalCount", page.totalCount());
        result.put("endCursor", more ? cursor(offset + size) : null);
        result.put("hasNextPage", more);
        return result;
    }

    static Object inviteOrganizationMember(DataFetchingEnvironment env) {
        return mutation(env, (port) -> port.invite(RequestContext.of(env).caller(), env.getArgument("organizationId"),
                env.getArgument("email"), Transactions.of(env)));
    }

    static Object acceptOrganizationInvitation(DataFetchingEnvironment env) {
        return mutation(env, (port) -> port.accept(RequestContext.of(env).caller(), env.getArgument("token"), Transactions.of(env)));
    }

    static Object removeOrganizationMember(DataFetchingEnvironment env) {
        return mutation(env, (port) -> port.remove(RequestContext.of(env).caller(), env.getArgument("organizationId"),
                env.getArgument("userId"), Transactions.of(env)));
    }

    private static Object mutation(DataFetchingEnvironment env, Function<OrganizationsPort, Boolean> work) {
        return Map.of("success", Boolean.TRUE.equals(work.apply(port(env))));
    }

    private static OrganizationsPort port(DataFetchingEnvironment env) {
        return RequestContext.port(env, OrganizationsPort.class);
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
