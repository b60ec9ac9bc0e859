package io.github.keycloakhasura.bench;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.keycloakhasura.it.support.FakeHasura;
import io.github.keycloakhasura.it.support.Harness;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What Keycloak sends to during the run, in this JVM, started before Keycloak when a pair needs it: a Hasura for the
 * {@code hasura-sync} listener (sign-up-sync; its URL is a server option) and an SMTP server (login-code).
 */
final class BenchReceivers implements AutoCloseable {

    /** The least time between two sign-in emails to one user, so each window can email its users again. */
    static final int EMAIL_INTERVAL_SECONDS = 1;

    final FakeHasura hasura;
    final GreenMail smtp;

    private BenchReceivers(FakeHasura hasura, GreenMail smtp) {
        this.hasura = hasura;
        this.smtp = smtp;
    }

    static BenchReceivers start(Options options) throws IOException {
        FakeHasura hasura = options.wants(CredentialPairs.SIGN_UP_SYNC) ? new FakeHasura() : null;
        GreenMail smtp = null;
        if (options.wants(CredentialPairs.LOGIN_CODE)) {
            smtp = new GreenMail(new ServerSetup(Harness.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.start();
        }
        return new BenchReceivers(hasura, smtp);
    }

    /** Keycloak's options for them: the listener's URL, the sign-in emails' interval. */
    List<String> serverOptions() {
        List<String> options = new ArrayList<>();
        if (hasura != null) {
            options.add("--spi-events-listener--hasura-sync--url=" + hasura.url());
        }
        if (smtp != null) {
            options.add("--spi-realm-restapi-extension--graphql--email-interval=" + EMAIL_INTERVAL_SECONDS);
        }
        return options;
    }

    @Override
    public void close() {
        if (hasura != null) {
            hasura.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }
}
