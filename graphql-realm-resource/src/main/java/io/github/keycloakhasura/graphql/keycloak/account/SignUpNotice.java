package io.github.keycloakhasura.graphql.keycloak.account;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.userprofile.ValidationException;

import java.util.List;
import java.util.Set;

/**
 * createUser with an address that already has an account, in a realm that verifies email: the sign-up answers as for
 * a new address (see {@code Registration}) and the account's owner gets this notice instead of a verification
 * email ("someone tried to sign up with your address"), at most one per owner and email interval. As for the other
 * account emails, the owner is looked up and the email sent in a job after the transaction, off the request thread.
 */
public final class SignUpNotice {

    static final AccountMailer.Mail MAIL = new AccountMailer.Mail("graphql-sign-up-existing.ftl",
            "graphqlSignUpExistingSubject", null);
    static final String KIND = "sign-up-notice";

    private static final String EMAIL_EXISTS = "emailExistsMessage";
    private static final String USERNAME_EXISTS = "usernameExistsMessage";

    private final AccountEmails account;

    public SignUpNotice(KeycloakSession session, String clientId) {
        this.account = new AccountEmails(session, clientId);
    }

    /**
     * The profile's errors as a sign-up with a new address would get them: in a realm that verifies email (where the
     * owner, not the caller, can be told), without "the address has an account" (with email as username, the
     * username is the address, so its "exists" goes too). Empty: the address was the only fault. Otherwise all errors.
     */
    public static List<ValidationException.Error> asForANewAddress(RealmModel realm, ValidationException e) {
        if (!realm.isVerifyEmail() || !e.hasError(EMAIL_EXISTS)) {
            return e.getErrors();
        }
        Set<String> hidden = realm.isRegistrationEmailAsUsername() ? Set.of(EMAIL_EXISTS, USERNAME_EXISTS) : Set.of(EMAIL_EXISTS);
        return e.getErrors().stream().filter(error -> !hidden.contains(error.getMessage())).toList();
    }

    /** Queues the notice to the owner of {@code address} (its email, or with login by email its username). */
    public void toOwnerOf(String address) {
        AccountEmailJobs.Origin origin = AccountEmailJobs.origin(account.session(), account.clientId(), account.requireMailable());
        String trimmed = address.trim();
        AccountEmailJobs.afterCommit(account.session(), origin, KIND, w -> new SignUpNotice(w, origin.clientId()).send(trimmed, origin));
    }

    private void send(String address, AccountEmailJobs.Origin origin) {
        RealmModel realm = account.realm();
        UserModel owner = account.userByEmail(address);
        if (owner == null && realm.isLoginWithEmailAllowed()) {
            owner = account.session().users().getUserByUsername(realm, address);
        }
        if (owner == null || owner.getEmail() == null || !owner.isEnabled()
                || !AccountMailer.reserve(account.session(), KIND, owner.getId(), account.emailInterval())) {
            return;
        }
        AccountEmailJobs.send(account.session(), origin, owner, MAIL, origin.appUrl(), 0);
    }
}
