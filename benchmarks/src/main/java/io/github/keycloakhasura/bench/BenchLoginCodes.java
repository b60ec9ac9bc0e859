package io.github.keycloakhasura.bench;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import io.github.keycloakhasura.bench.Pair.Sides;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakServer;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code loginWithCode} against the password grant. A code comes by email, a second or so after
 * {@code sendLoginLink} answers, and is good once: a loop of send, read, sign in would time the SMTP round trip and the
 * mail executor, not the sign-in. So each window gets codes prepared just before it, outside the measured time (one
 * {@code sendLoginLink} per user, the emails read from the SMTP server in this JVM), and measures {@code loginWithCode}
 * alone; a worker whose codes are used up stops, and the window's throughput counts the time until then. The users are
 * the realm's seed users (one live code per user; the realm's SMTP is set to the server here after start).
 */
final class BenchLoginCodes {

    /**
     * Codes (users) per worker and window, at most: as many as the seed users allow (240 with 1 000 users and 4
     * workers), so a window on a quiet machine runs most of its time before they are used up.
     */
    static final int CODES_PER_WORKER = 250;
    private static final String SEND = "mutation($e: String!) { sendLoginLink(email: $e) { success } }";
    private static final String WITH_CODE = "mutation($e: String!, $c: String!) { loginWithCode(email: $e, code: $c) "
            + "{ token refreshToken payload refreshExpiresIn } }";
    private static final Pattern CODE = Pattern.compile("code: (\\d{6})");
    private static final long MAIL_WAIT_MS = 120_000;

    private final BenchRealm realm;
    private final String baseUrl;
    private final int workers;
    private final int perWorker;
    private final GreenMail smtp;
    private boolean ready;

    /** {@code seedUsers}: how many seed users (with an address, no password) realm app has. */
    BenchLoginCodes(BenchRealm realm, String baseUrl, int workers, int seedUsers, GreenMail smtp) {
        this.realm = realm;
        this.baseUrl = baseUrl;
        this.workers = workers;
        this.perWorker = Math.min(CODES_PER_WORKER, seedUsers / workers);
        this.smtp = smtp;
        if (perWorker < 10) {
            throw new IllegalStateException("login-code: " + seedUsers + " seed users are too few for " + workers + " workers");
        }
    }

    private void setUp() {
        if (ready) {
            return;
        }
        BenchRealm.ok(realm.admin().call("PUT", "", Map.of("smtpServer", Map.of("host", "127.0.0.1",
                "port", String.valueOf(smtp.getSmtp().getPort()), "from", "noreply@example.test",
                "auth", "false", "ssl", "false", "starttls", "false"))));
        ready = true;
    }

    /** Native: the password grant (the login pair's); extension: loginWithCode with a code emailed before the window. */
    Sides loginWithCode(Load.Scenario passwordGrants) {
        setUp();
        List<List<HttpRequest>> codes = prepareCodes();
        AtomicIntegerArray next = new AtomicIntegerArray(workers);
        Load.Scenario withCodes = new Load.Scenario() {
            @Override
            public HttpRequest request(int worker, long n) {
                List<HttpRequest> own = codes.get(worker % workers);
                int i = next.getAndIncrement(worker % workers);
                return i < own.size() ? own.get(i) : null;
            }

            @Override
            public boolean ok(String body) {
                return Requests.graphqlOk(body);
            }
        };
        return new Sides(passwordGrants, withCodes);
    }

    /** One sendLoginLink per user, all emails read: per worker, its loginWithCode requests. */
    private List<List<HttpRequest>> prepareCodes() {
        try {
            smtp.purgeEmailFromAllMailboxes();
        } catch (FolderException e) {
            throw new IllegalStateException(e);
        }
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < workers * perWorker; i++) {
            addresses.add(String.format("seed-%07d@example.test", i));
        }
        ExecutorService senders = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Http.Response>> sent = new ArrayList<>();
            for (String address : addresses) {
                sent.add(senders.submit(() -> Http.json("POST", graphqlUrl(), Map.of("query", SEND, "variables", Map.of("e", address)), null)));
            }
            for (Future<Http.Response> f : sent) {
                Http.Response r = f.get();
                if (r.status() != 200 || !r.body().contains("\"success\":true")) {
                    throw new IllegalStateException("sendLoginLink failed: " + r);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            senders.shutdownNow();
        }
        if (!smtp.waitForIncomingEmail(MAIL_WAIT_MS, addresses.size())) {
            throw new IllegalStateException("login-code: " + smtp.getReceivedMessages().length + " of " + addresses.size()
                    + " sign-in emails arrived (is the realm's email-interval above the time between two windows?)");
        }
        Map<String, String> codeByAddress = new HashMap<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            Matcher m = CODE.matcher(GreenMailUtil.getWholeMessage(message));
            if (m.find()) {
                codeByAddress.put(recipient(message), m.group(1));
            }
        }
        List<List<HttpRequest>> perWorkerRequests = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            List<HttpRequest> own = new ArrayList<>();
            for (String address : addresses.subList(w * perWorker, (w + 1) * perWorker)) {
                String code = codeByAddress.get(address);
                if (code == null) {
                    throw new IllegalStateException("login-code: no code for " + address);
                }
                own.add(Requests.graphql(graphqlUrl(), WITH_CODE, Map.of("e", address, "c", code), null));
            }
            perWorkerRequests.add(own);
        }
        return perWorkerRequests;
    }

    private static String recipient(MimeMessage message) {
        try {
            return ((InternetAddress) message.getAllRecipients()[0]).getAddress().toLowerCase(java.util.Locale.ROOT);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String graphqlUrl() {
        return baseUrl + "/realms/" + KeycloakServer.REALM + "/graphql";
    }
}
