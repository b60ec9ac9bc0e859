package io.github.keycloakhasura.graphql.account;

import io.github.keycloakhasura.graphql.api.AccountUpdate;
import io.github.keycloakhasura.graphql.api.SessionView;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TotpSecret;
import io.github.keycloakhasura.graphql.api.TransactionMode;

import java.util.List;
import java.util.Map;

/**
 * The caller's own account (bearer token), each operation in a Keycloak transaction of the {@link TransactionMode}
 * it was opened with ({@link Accounts#of}). Who may: the request's verified bearer only, on its own account;
 * a change of credential or email also needs a proof beyond the token ({@code keycloak.account.Reauthentication}).
 */
public interface Account {

    /** Checks the old password, sets the new one, ends the other sessions unless kept; fresh tokens for this session. */
    Tokens passwordChange(String oldPassword, String newPassword, boolean keepOtherSessions);

    /** A new TOTP secret ({@code secret}, {@code uri}) waiting for {@link #totpConfirm}. */
    TotpSecret totpSetup();

    /** Adds the pending authenticator; needs the password or a recent login besides the code. */
    boolean totpConfirm(String code, String label, String password);

    /** Removes the authenticator {@code code} belongs to; needs the password or a recent login besides the code. */
    boolean totpRemove(String code, String password);

    /** Ends this session, or every session of the user. */
    boolean logout(boolean allSessions);

    /** The user's online sessions, most recently used first. */
    List<SessionView> sessions();

    /**
     * Changes the profile under the realm's user profile rules (ACCOUNT context); a new email needs the password (or
     * a recent login) and takes effect once confirmed from the new address.
     */
    AccountUpdate update(String firstName, String lastName, String email, Map<String, Object> attributes, String password);

    /** Deletes the account after checking the password, when the realm allows it. */
    boolean delete(String password);
}
