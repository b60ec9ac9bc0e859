package io.github.keycloakhasura.graphql.passwordless;

import io.github.keycloakhasura.graphql.keycloak.RealmFlows;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.RealmModel;

/**
 * The realm's direct-grant style flow for passwordless sign-in (link, code, passkey): {@link PasswordlessAuthenticator}, then the same
 * conditional OTP step as Keycloak's "direct grant" flow. Created in a realm the first time it is needed (in the
 * sign-in's transaction); an admin may change it afterwards (Authentication > Flows), and its steps then apply.
 */
final class PasswordlessFlow {

    static final String ALIAS = "graphql passwordless";
    private static final String OTP_ALIAS = "graphql passwordless - conditional OTP";

    private PasswordlessFlow() {
    }

    static AuthenticationFlowModel findOrCreate(RealmModel realm) {
        return RealmFlows.findOrCreate(realm, ALIAS,
                "Sign-in link, emailed code or passkey (GraphQL loginWithLink, loginWithCode, passkeyLogin)", top -> {
                    RealmFlows.step(realm, top, PasswordlessAuthenticator.PROVIDER_ID, Requirement.REQUIRED, 10);
                    String otp = RealmFlows.newSubflow(realm, OTP_ALIAS, "OTP when the user has it configured");
                    RealmFlows.subflow(realm, top, otp, Requirement.CONDITIONAL, 20);
                    RealmFlows.step(realm, otp, "conditional-user-configured", Requirement.REQUIRED, 10);
                    RealmFlows.step(realm, otp, "direct-grant-validate-otp", Requirement.REQUIRED, 20);
                });
    }
}
