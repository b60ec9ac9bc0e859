package io.github.keycloakhasura.it.console;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keycloak's admin console (React + PatternFly 5) in headless Debian Chromium, driven by Selenium through Debian's
 * chromedriver: no driver or browser downloads, loopback only. Locators prefer the console's {@code data-testid}
 * attributes, ids and visible texts; every step waits explicitly for the element it needs.
 */
final class AdminConsole implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
    static final int WIDTH = 1280;
    static final int HEIGHT = 900;
    private static final int MAX_TALL_HEIGHT = 2400;
    private static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("console.timeout.seconds", 30));

    private final String baseUrl;
    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final WebDriverWait wait;

    private AdminConsole(String baseUrl, Path profile, ChromeDriverService service, ChromeDriver driver) {
        this.baseUrl = baseUrl;
        this.profile = profile;
        this.service = service;
        this.driver = driver;
        this.wait = new WebDriverWait(driver, TIMEOUT, Duration.ofMillis(100));
        this.wait.ignoring(StaleElementReferenceException.class);
    }

    /**
     * Why the browser tests cannot run here (Chromium or chromedriver missing), or {@code null} when they can.
     * Fails at once when {@code CI=true}: there {@code .ci/run} installs both, so a missing browser is a CI bug.
     */
    static String missingBrowser() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return null;
        }
        String missing = "Chromium (" + CHROMIUM + ") or chromedriver (" + CHROMEDRIVER + ") is not installed. "
                + "On Debian: apt-get install -y chromium chromium-driver (or set -Dchromium.binary / -Dchromedriver.binary).";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true but the admin console browser test cannot run: " + missing);
        }
        return "Browser test skipped: " + missing;
    }

    /** Starts headless Chromium with a fresh profile under {@code workDir} and a {@link #WIDTH}x{@link #HEIGHT} viewport. */
    static AdminConsole start(String baseUrl, Path workDir) {
        try {
            Files.createDirectories(workDir);
            Path profile = Files.createDirectories(workDir.resolve("chromium-profile-" + UUID.randomUUID()));
            System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())   // no Selenium Manager, no downloads
                    .usingAnyFreePort()
                    .withLogFile(workDir.resolve("chromedriver.log").toFile())
                    .build();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments(
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-quic", "--no-first-run", "--no-default-browser-check",
                    "--user-data-dir=" + profile, "--window-size=" + WIDTH + "," + HEIGHT, "--lang=en-US");
            options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US",
                    "credentials_enable_service", false, "profile.password_manager_enabled", false));
            ChromeDriver driver;
            try {
                driver = new ChromeDriver(service, options);
            } catch (WebDriverException e) {
                service.stop();
                deleteRecursively(profile);
                throw e;
            }
            AdminConsole console = new AdminConsole(baseUrl, profile, service, driver);
            try {
                console.viewport(HEIGHT);
            } catch (WebDriverException e) {
                console.close();
                throw e;
            }
            return console;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The browser itself, for tests that drive other pages (e.g. Keycloak's login page with a virtual authenticator). */
    ChromeDriver driver() {
        return driver;
    }

    /** The exact viewport size (independent of the window decorations headless Chromium emulates). */
    private void viewport(int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", WIDTH, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Navigation

    String consoleUrl(String route) {
        return baseUrl + "/admin/master/console/#/" + route;
    }

    /** Logs into the admin console (master realm login page). */
    void login(String username, String password) {
        driver.get(baseUrl + "/admin/master/console/");
        type(By.id("username"), username);
        type(By.id("password"), password);
        click(By.id("kc-login"));
        consoleReady();
    }

    /**
     * Shows a console route, e.g. {@code app/clients/<id>/settings}. Within the realm the console is showing, the
     * console's router follows the address change; another realm (or the same route again) needs a fresh page,
     * because a hash-only change would keep the console's previous realm context.
     */
    void open(String route) {
        String current = driver.getCurrentUrl();
        String target = consoleUrl(route);
        String prefix = consoleUrl("");
        // Right after login the console shows the admin's own realm (master) without a route.
        String currentRoute = current.startsWith(prefix) ? current.substring(prefix.length())
                : current.equals(baseUrl + "/admin/master/console/") ? "master" : null;
        boolean sameRealm = currentRoute != null && realmOf(currentRoute).equals(realmOf(route));
        if (sameRealm && !current.equals(target)) {
            driver.get(target);
        } else {
            driver.get("about:blank");
            driver.get(target);
        }
        consoleReady();
    }

    private static String realmOf(String route) {
        int slash = route.indexOf('/');
        return slash < 0 ? route : route.substring(0, slash);
    }

    /**
     * Waits for the console's navigation and switches off CSS transitions and animations, so popovers and menus
     * are usable at once (screenshots look the same).
     */
    private void consoleReady() {
        visible(By.cssSelector("[data-testid='nav-item-clients']"));
        script("if (!document.getElementById('it-no-motion')) {"
                + " var s = document.createElement('style'); s.id = 'it-no-motion';"
                + " s.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';"
                + " document.head.appendChild(s); }");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Generic element helpers

    static By testId(String id) {
        return By.cssSelector("[data-testid=\"" + id.replace("\"", "\\\"") + "\"]");
    }

    static String xpathLiteral(String s) {
        if (!s.contains("'")) {
            return "'" + s + "'";
        }
        if (!s.contains("\"")) {
            return "\"" + s + "\"";
        }
        return "concat('" + s.replace("'", "', \"'\", '") + "')";
    }

    <T> T until(ExpectedCondition<T> condition) {
        return wait.until(condition);
    }

    WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    boolean present(By by) {
        return !driver.findElements(by).isEmpty();
    }

    void click(By by) {
        wait.until(d -> {
            WebElement element = d.findElement(by);
            if (!element.isDisplayed() || !element.isEnabled()) {
                return false;
            }
            scrollIntoView(element);
            element.click();
            return true;
        });
    }

    /** Replaces a text field's value the way a user does (select all, type), so React sees every change. */
    void type(By by, String text) {
        WebElement element = visible(by);
        scrollIntoView(element);
        element.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        if (!text.isEmpty()) {
            element.sendKeys(text);
        }
        wait.until(d -> text.equals(d.findElement(by).getDomProperty("value")));
    }

    void scrollIntoView(WebElement element) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});", element);
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Mapper pages

    /** Client scope → Mappers tab. */
    void openClientScopeMappers(String realm, String scopeId) {
        open(realm + "/client-scopes/" + scopeId + "/settings");
        click(testId("mappers"));
        wait.until(d -> present(testId("configure-a-new-mapper-empty-action")) || present(By.id("mapperAction")));
    }

    /**
     * "Add mapper → By configuration" (on an empty scope the same dialog opens from "Configure a new mapper"),
     * then picks the mapper type by its display name.
     */
    void addMapperByConfiguration(String mapperDisplayName) {
        if (present(testId("configure-a-new-mapper-empty-action"))) {
            click(testId("configure-a-new-mapper-empty-action"));
        } else {
            click(By.id("mapperAction"));
            click(By.xpath("//*[@role='menuitem'][normalize-space(.)='By configuration']"));
        }
        WebElement dialog = visible(By.cssSelector("[role='dialog'][aria-label='Configure a new mapper']"));
        WebElement row = dialog.findElement(By.cssSelector("li[aria-label=" + cssString(mapperDisplayName) + "]"));
        scrollIntoView(row);
        row.click();
        wait.until(d -> mapperTypeValue().equals(mapperDisplayName));
    }

    private String mapperTypeValue() {
        List<WebElement> type = driver.findElements(By.id("mapperType"));
        return type.isEmpty() ? "" : String.valueOf(type.get(0).getDomProperty("value"));
    }

    /**
     * JavaScript locating a config property's form group: its control has the property name as data-testid
     * (text fields, switches) or id (selects); the group is the enclosing PatternFly form group.
     */
    private static final String GROUP_JS = "function groupOf(name) {"
            + " var form = document.querySelector('main form');"
            + " if (!form) return null;"
            + " var control = Array.from(form.querySelectorAll('[data-testid]')).find(e => e.getAttribute('data-testid') === name)"
            + "   || Array.from(form.querySelectorAll('[id]')).find(e => e.id === name);"
            + " if (!control) return null;"
            + " var g = control;"
            + " while (g && !Array.from(g.classList || []).some(c => /-c-form__group$/.test(c))) g = g.parentElement;"
            + " return g ? {control: control, group: g} : null; }";

    /**
     * What the form shows for each config property, read in one go: the label (when rendered), the value (text,
     * selected option, or true/false for a switch) and whether there is a help icon. Missing fields are absent.
     */
    Map<String, ShownField> fields(List<String> propertyNames) {
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> raw = (Map<String, Map<String, Object>>) script(GROUP_JS
                + "var out = {};"
                + "for (var name of arguments[0]) {"
                + "  var f = groupOf(name); if (!f) continue;"
                + "  var label = f.group.querySelector('[class*=\"-c-form__label-text\"]');"
                + "  var help = f.group.querySelector('button[data-testid^=\"help-label-\"], button[class*=\"-c-form__group-label-help\"]');"
                + "  var c = f.control;"
                + "  var value = c.type === 'checkbox' ? String(c.checked)"
                + "    : (c.tagName === 'INPUT' || c.tagName === 'TEXTAREA') ? c.value : c.innerText.trim();"
                + "  out[name] = {label: label && label.getClientRects().length > 0 ? label.innerText.trim() : '',"
                + "    value: value, help: !!help && help.getClientRects().length > 0};"
                + "}"
                + "return out;", propertyNames);
        Map<String, ShownField> fields = new LinkedHashMap<>();
        raw.forEach((name, f) -> fields.put(name, new ShownField(String.valueOf(f.get("label")),
                String.valueOf(f.get("value")), Boolean.TRUE.equals(f.get("help")))));
        return fields;
    }

    /** A config property's field as the form shows it. */
    record ShownField(String label, String value, boolean hasHelp) {
    }

    /**
     * Clicks a field's help icon (a real click: it must be reachable), reads the popover and closes it again.
     */
    String helpText(String propertyName) {
        WebElement help = (WebElement) script(GROUP_JS + "var f = groupOf(arguments[0]); var b = f && f.group.querySelector("
                + "'button[data-testid^=\"help-label-\"], button[class*=\"-c-form__group-label-help\"]');"
                + "if (b) b.scrollIntoView({block: 'center'}); return b;", propertyName);
        if (help == null) {
            throw new AssertionError("no help icon for " + propertyName);
        }
        help.click();
        // The shown popover (a closed one stays in the DOM, transparent, for a moment).
        @SuppressWarnings("unchecked")
        List<Object> shown = wait.until(d -> (List<Object>) script(
                "var open = Array.from(document.querySelectorAll('[class*=\"-c-popover__body\"]')).filter(b => {"
                        + " var p = b.closest('[role=\"dialog\"]'); return b.getClientRects().length > 0"
                        + "   && (!p || getComputedStyle(p).opacity !== '0'); });"
                        + "if (open.length !== 1) return null;"
                        + "var p = open[0].closest('[role=\"dialog\"]') || document;"
                        + "return [open[0].innerText, p.querySelector('button[aria-label=\"Close\"]')];"));
        ((WebElement) shown.get(1)).click();
        return String.valueOf(shown.get(0)).trim();
    }

    /** Chooses an option of a single-select (PatternFly menu toggle whose id is the config property name). */
    void select(String toggleId, String option) {
        click(By.id(toggleId));
        click(By.xpath("//*[@role='listbox']//*[@role='option'][normalize-space(.)=" + xpathLiteral(option) + "]"));
        wait.until(d -> d.findElement(By.id(toggleId)).getText().trim().equals(option));
    }

    void save() {
        click(testId("save"));
    }

    /** The newest toast alert: waits for one of the given variant ("success", "danger"), returns title and description. */
    Alert lastAlert(String variant) {
        WebElement alert = visible(By.cssSelector("[data-testid='last-alert'][class*='-c-alert'][class*='pf-m-" + variant + "']"));
        String title = alert.findElement(By.cssSelector("[class*='-c-alert__title']")).getText().trim();
        List<WebElement> description = alert.findElements(By.cssSelector("[class*='-c-alert__description']"));
        return new Alert(title, description.isEmpty() ? "" : description.get(0).getText().trim());
    }

    void closeAlerts() {
        for (WebElement close : driver.findElements(By.cssSelector("[data-testid='global-alerts'] button[aria-label^='Close']"))) {
            try {
                close.click();
            } catch (WebDriverException e) {
                // already gone
            }
        }
        wait.until(d -> d.findElements(By.cssSelector("[data-testid='last-alert']")).isEmpty());
    }

    record Alert(String title, String description) {
    }

    // ---------------------------------------------------------------------------------------------------------
    // Clients → client → Client scopes → Evaluate

    /** Opens the client's "Client scopes → Evaluate" tab and selects {@code username}. */
    void evaluate(String realm, String clientUuid, String username) {
        open(realm + "/clients/" + clientUuid + "/settings");
        click(testId("clientScopesTab"));
        click(testId("clientScopesEvaluateTab"));
        By userInput = By.cssSelector("[data-testid='user'] input");
        visible(userInput).sendKeys(username);
        click(By.xpath("//*[@role='listbox']//*[@role='option'][normalize-space(.)=" + xpathLiteral(username) + "]"));
    }

    /** "Generated access token" of the evaluation: the pretty-printed token payload the console shows. */
    String generatedAccessToken() {
        click(testId("generated-access-token-tab"));
        By textarea = By.cssSelector("#tab-generated-access-token textarea");
        return wait.until(d -> {
            WebElement area = d.findElement(textarea);
            String value = area.getDomProperty("value");
            return area.isDisplayed() && value != null && value.trim().startsWith("{") ? value : null;
        });
    }

    /** Scrolls the generated token into view, to its end (where the custom claims are). */
    void showGeneratedAccessToken() {
        script("var t = document.querySelector('#tab-generated-access-token textarea');"
                + "t.scrollTop = t.scrollHeight; t.scrollIntoView({block: 'end'});");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Master realm → Provider info

    /**
     * The operational info the provider info tab shows for one provider of an SPI ("Show more" opened), e.g.
     * {@code {version=0.1.0}}; empty when the provider is listed without any.
     */
    Map<String, String> providerInfo(String spi, String providerId) {
        By item = providerItem(spi, providerId);
        WebElement li = visible(item);
        scrollIntoView(li);
        List<WebElement> toggles = li.findElements(By.xpath(".//button[contains(@class, '-c-expandable-section__toggle')]"));
        if (toggles.isEmpty()) {
            return Map.of();
        }
        WebElement toggle = toggles.get(0);
        if (!"true".equals(toggle.getDomAttribute("aria-expanded"))) {
            toggle.click();
        }
        wait.until(d -> !d.findElement(item).findElements(By.xpath(".//tr[td]")).isEmpty()
                && d.findElement(item).findElement(By.xpath(".//tr[td]")).isDisplayed());
        Map<String, String> info = new LinkedHashMap<>();
        for (WebElement row : driver.findElement(item).findElements(By.xpath(".//tr[td]"))) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            if (cells.size() >= 2) {
                info.put(cells.get(0).getText().trim(), cells.get(1).getText().trim());
            }
        }
        return info;
    }

    boolean hasProvider(String spi, String providerId) {
        return present(providerItem(spi, providerId));
    }

    private static By providerItem(String spi, String providerId) {
        return By.xpath("//tr[td[1][normalize-space(.)=" + xpathLiteral(spi) + "]]/td[2]"
                + "//li[text()[normalize-space(.)=" + xpathLiteral(providerId) + "]]");
    }

    /** Opens the master realm's "Provider info" tab. */
    void openProviderInfo() {
        open("master/providers");
        visible(By.xpath("//td[normalize-space(.)='protocol-mapper']"));
    }

    /** Scrolls an element to the middle of the viewport (for a screenshot). */
    void centre(By by) {
        scrollIntoView(visible(by));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Screenshots and failure evidence

    /** A screenshot of the viewport (the mouse moved out of the way first, so no field shows a hover state). */
    void screenshot(Path file) {
        new Actions(driver).moveToLocation(0, 0).perform();
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A screenshot of the whole scrolling content area (e.g. a long form): the viewport is made as tall as the
     * console's main section for the shot, then set back.
     */
    void screenshotWholePage(Path file) {
        Number needed = (Number) script("var m = document.querySelector('main');"
                + "return Math.ceil(m.getBoundingClientRect().top + m.scrollHeight);");
        int height = Math.max(HEIGHT, Math.min(MAX_TALL_HEIGHT, needed.intValue()));
        viewport(height);
        try {
            script("document.querySelector('main').scrollTop = 0;");
            wait.until(d -> ((Number) script("return window.innerHeight;")).intValue() == height);
            screenshot(file);
        } finally {
            viewport(HEIGHT);
        }
    }

    /** Screenshot and HTML of the current page, for a failed test. */
    void saveEvidence(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
            Files.writeString(dir.resolve(name + ".html"), "<!-- " + driver.getCurrentUrl() + " -->\n" + driver.getPageSource());
        } catch (IOException | WebDriverException e) {
            System.err.println("Could not save browser evidence: " + e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } catch (WebDriverException e) {
            System.err.println("Closing the browser failed: " + e);
        } finally {
            service.stop();
            deleteRecursively(profile);
        }
    }

    private static String cssString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // a leftover profile under target/ is harmless
        }
    }
}
