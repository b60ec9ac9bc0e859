package io.github.keycloakhasura.graphql.passwordless;

import org.keycloak.models.RealmModel;

/**
 * The realm's switches (realm attributes, off unless {@code "true"}; the project's realm export turns both on):
 * {@value #LINK} for loginWithLink, {@value #CODE} for loginWithCode. sendLoginLink works when either is on and puts
 * into the email only what is on. (No {@code graphql.} prefix: the jar's shading would rewrite it.)
 */
public record PasswordlessSettings(boolean link, boolean code) {

    public static final String LINK = "graphqlPasswordlessLink";
    public static final String CODE = "graphqlPasswordlessCode";

    public static PasswordlessSettings of(RealmModel realm) {
        return new PasswordlessSettings("true".equals(realm.getAttribute(LINK)), "true".equals(realm.getAttribute(CODE)));
    }

    boolean any() {
        return link || code;
    }
}
