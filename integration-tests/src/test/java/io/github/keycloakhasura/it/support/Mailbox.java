package io.github.keycloakhasura.it.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real SMTP server in the test JVM (GreenMail) on this machine's loopback, where a test realm sends its email
 * ({@link #smtpServer} is the realm's {@code smtpServer} setting for it). Usually owned by an {@link EmailRealm}.
 */
public final class Mailbox implements AutoCloseable {

    private final GreenMail greenMail;
    private final int port;

    public Mailbox() throws IOException {
        port = Harness.freePort();
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
    }

    public int port() {
        return port;
    }

    /** The {@code smtpServer} of a realm representation that sends to this mailbox. */
    public Map<String, Object> smtpServer() {
        return smtpServer(port);
    }

    /** The {@code smtpServer} of a realm representation that sends to the mailbox on {@code port} of the loopback. */
    public static Map<String, Object> smtpServer(int port) {
        return Map.of("host", "127.0.0.1", "port", String.valueOf(port), "from", "noreply@example.test",
                "fromDisplayName", "App", "auth", "false", "ssl", "false", "starttls", "false");
    }

    /** Every message received so far for {@code address}. */
    public List<MimeMessage> messages(String address) {
        return Arrays.stream(greenMail.getReceivedMessages()).filter(m -> sentTo(m, address)).toList();
    }

    /** Waits (up to 30 s) until at least {@code count} messages for {@code address} have arrived. */
    public List<MimeMessage> await(String address, int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            List<MimeMessage> found = messages(address);
            if (found.size() >= count) {
                return found;
            }
            Harness.sleep(100);
        }
        throw new AssertionError("no email #" + count + " for " + address + " within 30 s; got " + messages(address).size());
    }

    /** The message's plain-text part, decoded. */
    public static String text(MimeMessage message) {
        try {
            Object content = message.getContent();
            if (content instanceof String text) {
                return text;
            }
            Multipart multipart = (Multipart) content;
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (part.isMimeType("text/plain")) {
                    return (String) part.getContent();
                }
                if (part.getContent() instanceof Multipart nested) {
                    for (int j = 0; j < nested.getCount(); j++) {
                        if (nested.getBodyPart(j).isMimeType("text/plain")) {
                            return (String) nested.getBodyPart(j).getContent();
                        }
                    }
                }
            }
            throw new AssertionError("no text/plain part");
        } catch (IOException | MessagingException e) {
            throw new AssertionError(e);
        }
    }

    public static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new AssertionError(e);
        }
    }

    /** The link of the message to {@code {appUrl}/{page}}, whole. */
    public static String link(MimeMessage message, String appUrl, String page) {
        Matcher m = Pattern.compile(Pattern.quote(appUrl + "/" + page + "?token=") + "[A-Za-z0-9._~%+-]+").matcher(text(message));
        if (!m.find()) {
            throw new AssertionError("no " + page + " link in: " + text(message));
        }
        return m.group();
    }

    /** The {@code token} query parameter of that link. */
    public static String token(MimeMessage message, String appUrl, String page) {
        String link = link(message, appUrl, page);
        return URLDecoder.decode(link.substring(link.indexOf("?token=") + "?token=".length()), StandardCharsets.UTF_8);
    }

    private static boolean sentTo(MimeMessage message, String address) {
        try {
            return message.getAllRecipients() != null && Arrays.stream(message.getAllRecipients())
                    .anyMatch(r -> r.toString().equalsIgnoreCase(address));
        } catch (MessagingException e) {
            return false;
        }
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
