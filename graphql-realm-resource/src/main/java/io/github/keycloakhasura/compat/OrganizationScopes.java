package io.github.keycloakhasura.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code scope} parameter of a refresh grant that narrows {@code organization:*} to {@code organization:<alias>}.
 * Keycloak keeps, of the refresh token's scopes, those the parameter names, and maps {@code organization:*} through
 * {@code OrganizationScope.resolveName}. Before 26.7 that method answers the old {@code organization:*} for whichever
 * non-organization scope of the parameter it looks at first (a hash set's order), so the narrowing is only certain
 * when the parameter names nothing else: the switched access token then carries the client's default scopes (always
 * applied) and the organization, and a login's optional scopes come back at the next refresh (the refresh token keeps
 * them). From 26.7 other scopes are skipped there, and the parameter repeats every granted scope.
 */
public final class OrganizationScopes {

    private static final boolean CERTAIN_WITH_OTHER_SCOPES = atLeast(org.keycloak.common.Version.VERSION, 26, 7);

    private OrganizationScopes() {
    }

    /** The parameter for the granted scopes {@code granted} ({@code organization:*} among them) and {@code alias}. */
    public static String narrowing(List<String> granted, String alias) {
        return narrowing(granted, alias, CERTAIN_WITH_OTHER_SCOPES);
    }

    static String narrowing(List<String> granted, String alias, boolean keepOthers) {
        List<String> scopes = new ArrayList<>();
        if (keepOthers) {
            scopes.addAll(granted);
        }
        scopes.add("organization:" + alias);
        return String.join(" ", scopes);
    }

    static boolean atLeast(String version, int major, int minor) {
        Matcher m = Pattern.compile("(\\d+)\\.(\\d+).*").matcher(version == null ? "" : version);
        if (!m.matches()) {
            return false;
        }
        int actualMajor = Integer.parseInt(m.group(1));
        return actualMajor > major || actualMajor == major && Integer.parseInt(m.group(2)) >= minor;
    }
}
