package io.github.keycloakhasura.graphql.keycloak;

import org.keycloak.authentication.ConfigurableAuthenticatorFactory;
import org.keycloak.authentication.FormAction;
import org.keycloak.authentication.FormAuthenticator;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether createUser may stand in for the realm's registration flow: it runs what Keycloak's stock registration form
 * does (profile, user creation, password policy), nothing else. Any other enabled step of the flow (reCAPTCHA, terms
 * and conditions, a custom form action or authenticator) is one the API cannot run, so sign-up must go through
 * Keycloak's own registration page. Stock ids: {@code DefaultAuthenticationFlows.registrationFlow} (Keycloak 26.7.3).
 */
final class RegistrationSteps {

    /** The steps createUser does itself (registration-profile-action: the profile step of Keycloak before 22). */
    static final Set<String> SUPPORTED = Set.of("registration-page-form", "registration-user-creation",
            "registration-password-action", "registration-profile-action");

    private RegistrationSteps() {
    }

    /** The first enabled step of the realm's registration flow that the API cannot run, as "id (display name)". */
    static Optional<String> unsupported(KeycloakSession session, RealmModel realm) {
        AuthenticationFlowModel flow = realm.getRegistrationFlow();
        return flow == null ? Optional.empty() : unsupported(session, realm, flow.getId(), new HashSet<>());
    }

    private static Optional<String> unsupported(KeycloakSession session, RealmModel realm, String flowId, Set<String> seen) {
        if (flowId == null || !seen.add(flowId)) {
            return Optional.empty();
        }
        List<AuthenticationExecutionModel> executions = realm.getAuthenticationExecutionsStream(flowId).toList();
        for (AuthenticationExecutionModel execution : executions) {
            if (execution.isDisabled()) {
                continue;
            }
            String id = execution.getAuthenticator();
            if (id != null && !SUPPORTED.contains(id)) {
                return Optional.of(describe(session, id));
            }
            if (execution.isAuthenticatorFlow()) {
                Optional<String> inner = unsupported(session, realm, execution.getFlowId(), seen);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    private static String describe(KeycloakSession session, String id) {
        for (Class<? extends org.keycloak.provider.Provider> type : List.of(FormAction.class, FormAuthenticator.class,
                org.keycloak.authentication.Authenticator.class)) {
            ProviderFactory<?> factory = session.getKeycloakSessionFactory().getProviderFactory(type, id);
            if (factory instanceof ConfigurableAuthenticatorFactory configurable && configurable.getDisplayType() != null) {
                return id + " (" + configurable.getDisplayType() + ")";
            }
        }
        return id;
    }
}
