package io.rowstream.server.web;

import static io.rowstream.server.web.WebProject.destination;
import static io.rowstream.server.web.WebProject.sync;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.server.RowstreamServer;
import io.rowstream.testing.AnswerGate;
import io.rowstream.testing.FaultProxy;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.SharedEmulators;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The web UI in a real browser (headless chromium) against {@code rowstream serve} in-process,
 * kinesalite behind it (and a slowing proxy for the live run). Saves screenshots of the main pages
 * to target/screenshots, or to the README's docs/screenshots with {@code
 * -Drowstream.screenshots=docs/screenshots}.
 */
class WebUiIT {
  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();
  static final Path SCREENSHOTS =
      Path.of(System.getProperty("rowstream.screenshots", "target/screenshots"));
  static final int LIVE_ROWS = 4000;
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  static FaultProxy slow;
  static RowstreamServer server;
  static Browser browser;
  static String base;
  static Path projectFile;
  private final List<String> pages = new ArrayList<>();

  @BeforeAll
  static void start() {
    KinesisEmulator kinesis = EMULATORS.kinesalite();
    kinesis.createStream("web-keys", 3);
    kinesis.createStream("web-live", 2);
    kinesis.createStream("web-html", 1);
    kinesis.createStream("web-idle", 1);
    kinesis.createStream("web-resync", 1);
    slow = FaultProxy.inFrontOf(kinesis.endpoint());
    slow.faults(FaultProxy.Faults.none().slow(1.0, Duration.ofMillis(250)));
    WebProject project =
        new WebProject(dir)
            .sql(
                "create table customers as select i as id, 'customer ' || i as name from range(1, 21) t(i)",
                "create table events as select i as id, 'event ' || i as name from range(1, "
                    + (LIVE_ROWS + 1)
                    + ") t(i)",
                "create table weird (id varchar, name varchar)",
                "insert into weird values ('<script>window.pwned=1</script>', '<b>not json</b>'), ('plain', '42')")
            // a channel nobody listens on: the alert state is kept whether or not a notice got out
            .top(
                """
                alerts:
                  channels:
                    hook: {type: webhook, url: "http://127.0.0.1:9/hook"}
                  recipients:
                    - {channel: hook, level: warning}
                """);
    project.write(
        destination("kinesis", kinesis.endpoint(), "")
            + destination("slow", slow.endpoint(), "max_in_flight: 1"),
        sync("keys", "customers", "kinesis", "web-keys", "")
            + sync("live", "events", "slow", "web-live", "")
            + sync(
                "html",
                "weird",
                "kinesis",
                "web-html",
                "message:\n  template: '{\"n\": {{row.name | raw}}}'")
            + sync("idle", "customers", "kinesis", "web-idle", "paused: true")
            + sync("resync", "customers", "kinesis", "web-resync", "")
            + sync("mapped", "customers", "kinesis", "web-keys", "")
            + sync(
                "edited",
                "customers",
                "kinesis",
                "web-keys",
                "# a comment the editor keeps\nschedule: every 1h"));
    projectFile = project.file;
    RowstreamConfig config =
        ConfigReader.read(project.file)
            .config()
            .orElseThrow(() -> new AssertionError(ConfigReader.read(project.file).problems()));
    server = RowstreamServer.start(config, KinesisDestination::connect, Clock.systemUTC());
    base = "http://127.0.0.1:" + server.port();
    browser = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.stop(Duration.ofSeconds(10), "test over");
    }
    if (slow != null) {
      slow.close();
    }
  }

  @BeforeEach
  void loggedIn() {
    browser.driver.get(base + "/");
    if (browser.driver.getCurrentUrl().contains("/login")) {
      login(WebProject.TOKEN);
      // the login answers with a redirect: a page opened before it lands would be the login form
      browser.awaitPage(WAIT, u -> !u.contains("/login"));
    }
  }

  @AfterEach
  void noSecretInAnyPage() {
    for (String page : pages) {
      assertThat(page)
          .doesNotContain(WebProject.TOKEN)
          .doesNotContain(WebProject.AWS_SECRET)
          .doesNotContain("AKIAWEBTESTKEY12345");
    }
  }

  private void login(String token) {
    browser.driver.findElement(By.id("token")).sendKeys(token);
    browser.driver.findElement(By.id("login")).click();
  }

  private void open(String path) {
    browser.driver.get(base + path);
    pages.add(browser.driver.getPageSource());
  }

  private String text(String id) {
    return browser.driver.findElement(By.id(id)).getText();
  }

  /** Runs a sync from its page (Run now) and waits on the run page until it ended. */
  private String runToEnd(String sync) {
    open("/syncs/" + sync);
    browser.driver.findElement(By.id("run-now")).click();
    browser.awaitPage(WAIT, u -> u.contains("/runs/"));
    String runId = browser.driver.getCurrentUrl().replaceAll(".*/runs/", "");
    browser.await(
        WAIT, d -> !d.findElement(By.id("run-status")).getText().matches("queued|running"));
    return runId;
  }

  @Test
  void pagesNeedALoginWithTheApiTokenAndPostsNeedTheCsrfToken() {
    browser.driver.manage().deleteAllCookies();
    browser.driver.get(base + "/syncs/keys");
    assertThat(browser.driver.getCurrentUrl()).contains("/login");
    login("not-the-token");
    // the refused login answers with a new page: wait for it, not for a fixed time
    browser.await(WAIT, d -> !d.findElements(By.id("login-error")).isEmpty());
    browser.awaitPage(WAIT, u -> u.contains("/login"));
    assertThat(text("login-error")).contains("not the server's API token");
    login(WebProject.TOKEN);
    browser.awaitPage(WAIT, u -> u.endsWith("/syncs/keys"));
    assertThat(browser.driver.manage().getCookieNamed(Sessions.COOKIE).isHttpOnly()).isTrue();
    assertThat(browser.driver.manage().getCookieNamed(Sessions.COOKIE).getSameSite())
        .isEqualTo("Strict");
    Object status =
        browser.driver.executeAsyncScript(
            "var done = arguments[arguments.length - 1];"
                + "fetch('/syncs/idle/resume', {method: 'POST', body: new URLSearchParams({csrf: 'forged'})})"
                + ".then(function (r) { done(r.status); });");
    assertThat(status).isEqualTo(403L);
    open("/syncs/idle");
    assertThat(text("sync-status")).isEqualTo("disabled");
    browser.driver.findElement(By.id("logout")).click();
    // the logout answers with a redirect: a page opened before it lands would still be logged in
    browser.awaitPage(WAIT, u -> u.contains("/login"));
    browser.driver.get(base + "/");
    assertThat(browser.driver.getCurrentUrl()).contains("/login");
    browser.screenshot(SCREENSHOTS.resolve("login.png"));
  }

  @Test
  void theOverviewListsTheSyncsWithTheirStatusAndFilters() {
    runToEnd("keys");
    open("/");
    assertThat(row("keys").findElement(By.className("status")).getText()).isEqualTo("healthy");
    assertThat(row("idle").findElement(By.className("status")).getText()).isEqualTo("disabled");
    assertThat(row("keys").getText()).contains("web-keys").contains("select");
    open("/?status=disabled");
    assertThat(browser.driver.findElements(By.cssSelector("#syncs tr[data-sync]")))
        .extracting(e -> e.getAttribute("data-sync"))
        .containsExactly("idle");
    open("/?q=liv");
    assertThat(browser.driver.findElements(By.cssSelector("#syncs tr[data-sync]")))
        .extracting(e -> e.getAttribute("data-sync"))
        .containsExactly("live");
    open("/");
    browser.screenshot(SCREENSHOTS.resolve("overview.png"));
  }

  @Test
  void theOverviewShowsEachSyncsAlertStateAndFiltersByIt() {
    runToEnd("html");
    // alerts are evaluated on their own thread once the run ended
    browser.await(
        WAIT,
        d -> {
          d.get(base + "/");
          return !"ok"
              .equals(
                  row("html").findElement(By.className("alert-cell")).getAttribute("data-alert"));
        });
    open("/");
    WebElement html = row("html").findElement(By.className("alert-cell"));
    assertThat(html.getAttribute("data-alert"))
        .as("1 of its 2 rows rejected: over rejected_rows' default critical share, 10%")
        .isEqualTo("critical");
    assertThat(html.getText()).contains("since").contains("rejected_rows").contains("hook");
    assertThat(row("idle").findElement(By.className("alert-cell")).getText()).isEqualTo("ok");
    new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("filter-alert")))
        .selectByValue("firing");
    browser.driver.findElement(By.cssSelector("form.filters button")).click();
    browser.awaitPage(WAIT, u -> u.contains("alert=firing"));
    pages.add(browser.driver.getPageSource());
    assertThat(browser.driver.findElements(By.cssSelector("#syncs tr[data-sync]")))
        .extracting(e -> e.getAttribute("data-sync"))
        .contains("html")
        .doesNotContain("idle", "edited");
    open("/?alert=ok");
    assertThat(browser.driver.findElements(By.cssSelector("#syncs tr[data-sync]")))
        .extracting(e -> e.getAttribute("data-sync"))
        .contains("idle")
        .doesNotContain("html");
  }

  private WebElement row(String sync) {
    return browser.driver.findElement(By.cssSelector("#syncs tr[data-sync='" + sync + "']"));
  }

  @Test
  void fullResyncAfterItsConfirmSendsEveryRowAgainAndOpensTheRunPage() {
    runToEnd("resync");
    open("/syncs/resync");
    browser.driver.findElement(By.id("full-resync")).click();
    browser.driver.switchTo().alert().accept();
    browser.awaitPage(WAIT, u -> u.contains("/runs/"));
    browser.await(WAIT, d -> text("run-status").equals("succeeded"));
    assertThat(
            browser
                .driver
                .findElement(By.cssSelector("#counts tr[data-event='added'] [data-count='sent']"))
                .getText())
        .isEqualTo("20");
    List<LandedRecord> landed = EMULATORS.kinesalite().readAll("web-resync");
    assertThat(landed).hasSize(40);
    assertThat(
            landed.stream()
                .collect(Collectors.groupingBy(LandedRecord::partitionKey, Collectors.counting()))
                .values())
        .as("every row twice")
        .hasSize(20)
        .allMatch(n -> n == 2);
  }

  @Test
  void runNowShowsLiveProgressThenTheFinalCountsWithoutAReload() {
    // the proxy holds its answers after 1,000 records, then after 1,000 more: the page is seen at
    // two counts on the way, however slowly the browser polls on a loaded machine
    AnswerGate gate = slow.holdAnswersAfter("web-live", 1_000);
    Set<String> sentSeen = new LinkedHashSet<>();
    Set<String> statusSeen = new LinkedHashSet<>();
    try {
      open("/syncs/live");
      browser.driver.findElement(By.id("run-now")).click();
      browser.awaitPage(WAIT, u -> u.contains("/runs/"));
      browser.driver.executeScript("window.rowstreamNoReload = true;");
      long first = awaitSent(sentSeen, statusSeen, n -> n > 0 && n < LIVE_ROWS);
      gate.release(1_000);
      awaitSent(sentSeen, statusSeen, n -> n > first && n < LIVE_ROWS);
      browser.screenshot(SCREENSHOTS.resolve("run-live.png"));
      gate.open();
      browser.await(
          WAIT,
          d -> {
            sentCount(sentSeen, statusSeen);
            return text("run-status").equals("succeeded");
          });
    } finally {
      gate.open();
    }
    assertThat(statusSeen).contains("running");
    assertThat(sentSeen).as("sent counts seen while the run went on").hasSizeGreaterThan(2);
    assertThat(
            browser
                .driver
                .findElement(By.cssSelector("#counts tr[data-event='added'] [data-count='sent']"))
                .getText())
        .isEqualTo(String.valueOf(LIVE_ROWS));
    assertThat(text("rows-queried")).isEqualTo(String.valueOf(LIVE_ROWS));
    assertThat(browser.driver.executeScript("return window.rowstreamNoReload === true;"))
        .isEqualTo(true);
  }

  /** The sent count the run page shows now, noted with its status. */
  private long sentCount(Set<String> sentSeen, Set<String> statusSeen) {
    statusSeen.add(text("run-status"));
    String sent =
        browser
            .driver
            .findElement(By.cssSelector("#counts tr[data-event='added'] [data-count='sent']"))
            .getText();
    sentSeen.add(sent);
    return sent.matches("\\d+") ? Long.parseLong(sent) : -1;
  }

  /** Waits until the run page shows a sent count that satisfies {@code wanted}; returns it. */
  private long awaitSent(
      Set<String> sentSeen, Set<String> statusSeen, java.util.function.LongPredicate wanted) {
    return browser.await(
        WAIT,
        d -> {
          long n = sentCount(sentSeen, statusSeen);
          return wanted.test(n) ? n : null;
        });
  }

  @Test
  void aKeySearchShowsTheRowsShardSequenceNumberAndAttempts() {
    String runId = runToEnd("keys");
    open("/runs/" + runId);
    browser.driver.findElement(By.id("key-search")).sendKeys("7");
    browser.driver.findElement(By.id("key-go")).click();
    browser.awaitPage(WAIT, u -> u.contains("key=7"));
    pages.add(browser.driver.getPageSource());
    assertThat(text("key-shard")).startsWith("shardId-");
    assertThat(text("key-sequence")).matches("\\d{20,}");
    List<WebElement> attempts =
        browser.driver.findElements(By.cssSelector("#key-attempts tbody tr"));
    assertThat(attempts).hasSize(1);
    assertThat(attempts.get(0).getText()).contains(text("key-sequence"));
    assertThat(browser.driver.findElements(By.cssSelector("#calls tbody tr"))).isNotEmpty();
    assertThat(browser.driver.findElement(By.id("calls")).getText()).contains("PutRecords");
    assertThat(text("key-partition-key")).isEqualTo("7");
    assertThat(text("key-data")).contains("customer 7");
    browser.screenshot(SCREENSHOTS.resolve("run-key.png"));

    attempts.get(0).findElement(By.tagName("a")).click();
    browser.awaitPage(WAIT, u -> u.contains("call="));
    pages.add(browser.driver.getPageSource());
    WebElement entry =
        browser.driver.findElements(By.cssSelector("#call-entries tbody tr")).stream()
            .filter(r -> r.findElement(By.tagName("td")).getText().matches("\\d+"))
            .filter(r -> r.findElements(By.tagName("td")).get(1).getText().equals("7"))
            .findFirst()
            .orElseThrow();
    assertThat(entry.getText()).contains("added").contains("customer 7").contains("shardId-");

    open("/runs/" + runId + "?event=added&outcome=successful");
    List<WebElement> rows = browser.driver.findElements(By.cssSelector("#rows tbody tr"));
    assertThat(rows).hasSize(20).allMatch(r -> "successful".equals(r.getAttribute("data-outcome")));
    assertThat(rows.get(0).getText()).contains("added").contains("successful");
    open("/runs/" + runId + "?outcome=rejected");
    assertThat(browser.driver.findElement(By.id("rows")).getText()).contains("No row");
    open("/runs/" + runId + "?event=removed");
    assertThat(browser.driver.findElement(By.id("rows")).getText()).contains("No row");
    open("/syncs/keys");
    assertThat(browser.driver.findElements(By.cssSelector("#runs-chart rect"))).isNotEmpty();
    browser.screenshot(SCREENSHOTS.resolve("sync.png"));
  }

  @Test
  void theDestinationPageListsTheEmulatorsStreamsWithShardCountsAndMasksTheKeys() {
    open("/destinations/kinesis");
    WebElement keys =
        browser.driver.findElement(By.cssSelector("#streams tr[data-stream='web-keys']"));
    assertThat(keys.getText()).contains("ACTIVE").contains("3").contains("keys");
    assertThat(browser.driver.findElements(By.cssSelector("#streams tr[data-stream]")))
        .extracting(e -> e.getAttribute("data-stream"))
        .contains("web-live", "web-html", "web-idle");
    assertThat(text("credentials")).contains("static keys").contains("****2345");
    assertThat(browser.driver.findElement(By.id("findings")).getText())
        .contains("kinesis:ListStreams");
    browser.screenshot(SCREENSHOTS.resolve("destination.png"));
  }

  @Test
  void theEditorPreviewFollowsTypingShowsTemplateErrorsAndSaveKeepsTheComments() throws Exception {
    open("/syncs/edited/edit");
    browser.driver.findElement(By.cssSelector("input[name=mode][value=template]")).click();
    WebElement template = browser.driver.findElement(By.id("template"));
    template.clear();
    template.sendKeys("{\"who\": \"{{row.name}}\", \"typed\": \"abc\"}");
    browser.await(
        WAIT, d -> d.findElement(By.id("preview")).getText().contains("\"typed\":\"abc\""));
    assertThat(browser.driver.findElement(By.id("preview")).getText()).contains("customer 1");
    assertThat(browser.driver.findElements(By.cssSelector("#template-highlight .tok-liquid")))
        .isNotEmpty();
    template.clear();
    template.sendKeys("{\"id\": {{row.id}},\n \"x\": {{ row.name | nosuchfilter }}}");
    browser.await(
        WAIT,
        d -> d.findElement(By.id("preview-error")).getText().matches(".*line 2, column \\d+.*"));
    browser.screenshot(SCREENSHOTS.resolve("editor-error.png"));
    template.clear();
    template.sendKeys("{\"id\": {{row.id}},\n \"name\": \"{{row.name}}\"}");
    browser.await(
        WAIT, d -> d.findElement(By.id("preview")).getText().contains("\"name\":\"customer 1\""));
    browser.screenshot(SCREENSHOTS.resolve("editor.png"));
    browser.driver.findElement(By.id("on_removed")).click();
    browser.driver.findElement(By.id("save")).click();
    browser.awaitPage(WAIT, u -> u.contains("/syncs/edited?saved"));
    String yaml = java.nio.file.Files.readString(projectFile);
    assertThat(yaml)
        .contains(
            "# the web UI's test project",
            "# a comment the editor keeps",
            "schedule: every 1h",
            "on: [added, changed]");
    assertThat(projectFile.resolveSibling("rowstream.yaml.bak")).exists();
    RowstreamConfig saved = ConfigReader.read(projectFile).config().orElseThrow();
    assertThat(saved.syncs().get("edited").message().template())
        .isEqualTo("{\"id\": {{row.id}},\n \"name\": \"{{row.name}}\"}");
    assertThat(server.config().syncs().get("edited").message().template()).contains("\"name\"");
    assertThat(text("config")).contains("\"name\": \"{{row.name}}\"");
  }

  @Test
  void theFieldMapperRenamesColumnsFeedsThePreviewAndSavesMessageColumns() throws Exception {
    open("/syncs/mapped/edit");
    browser.driver.findElement(By.cssSelector("input[name=mode][value=columns]")).click();
    for (String[] field : new String[][] {{"name", "customer_name"}, {"id", ""}}) {
      browser.driver.findElement(By.id("map-add")).click();
      List<WebElement> rows = browser.driver.findElements(By.cssSelector("#mapper tr.map-row"));
      WebElement row = rows.get(rows.size() - 1);
      browser.await(
          WAIT, d -> row.findElements(By.cssSelector("select.map-column option")).size() > 2);
      browser.await(
          WAIT,
          d -> {
            try { // a preview's answer may refill the picker's options meanwhile
              new org.openqa.selenium.support.ui.Select(row.findElement(By.cssSelector("select")))
                  .selectByVisibleText(field[0]);
              return true;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
              return false;
            }
          });
      row.findElement(By.className("map-key")).sendKeys(field[1]);
    }
    browser.await(
        WAIT,
        d ->
            d.findElement(By.id("preview"))
                .getText()
                .contains("{\"customer_name\":\"customer 1\",\"id\":1}"));
    browser.screenshot(SCREENSHOTS.resolve("editor-mapper.png"));
    browser.driver.findElement(By.id("map-add")).click();
    List<WebElement> rows = browser.driver.findElements(By.cssSelector("#mapper tr.map-row"));
    rows.get(rows.size() - 1).findElement(By.className("map-remove")).click();
    assertThat(browser.driver.findElements(By.cssSelector("#mapper tr.map-row"))).hasSize(2);
    browser.driver.findElement(By.id("save")).click();
    browser.awaitPage(WAIT, u -> u.contains("/syncs/mapped?saved"));
    assertThat(java.nio.file.Files.readString(projectFile))
        .contains("    message:\n      columns:\n        customer_name: name\n        id: id\n");
    assertThat(
            ConfigReader.read(projectFile)
                .config()
                .orElseThrow()
                .syncs()
                .get("mapped")
                .message()
                .columns())
        .containsExactly(
            java.util.Map.entry("customer_name", "name"), java.util.Map.entry("id", "id"));
    open("/syncs/mapped/edit");
    assertThat(browser.driver.findElements(By.cssSelector("#mapper input.map-key")))
        .extracting(e -> e.getAttribute("value"))
        .containsExactly("customer_name", "");
  }

  @Test
  void aRowValueWithHtmlShowsAsText() {
    String runId = runToEnd("html");
    open("/runs/" + runId);
    WebElement rows = browser.driver.findElement(By.id("rows"));
    assertThat(rows.getText()).contains("<script>window.pwned=1</script>").contains("invalid_json");
    assertThat(browser.driver.executeScript("return typeof window.pwned;")).isEqualTo("undefined");
    assertThat(browser.driver.getPageSource())
        .contains("&lt;script&gt;window.pwned=1&lt;/script&gt;");
    assertThat(browser.driver.findElements(By.tagName("b"))).isEmpty();
  }
}
