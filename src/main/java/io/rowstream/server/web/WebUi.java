package io.rowstream.server.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.rowstream.config.ServerConfig;
import io.rowstream.run.RunOptions;
import io.rowstream.schedule.ScheduledRun;
import io.rowstream.schedule.Scheduler;
import io.rowstream.schedule.Trigger;
import io.rowstream.server.api.ApiBackend;
import io.rowstream.server.api.RunHistory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI of {@code rowstream serve}, on the API's port and behind the same token: a login form
 * takes the API token and opens a session (an HttpOnly, SameSite=Strict cookie); every POST carries
 * the session's CSRF token. Pages read what the API reads ({@link ApiBackend}: the scheduler and
 * the stored history), never the API over HTTP. URLs (a contract: they are shared and bookmarked):
 * {@code /}, {@code /syncs/{sync}}, {@code /runs/{run_id}} ({@code ?key=PK}), {@code
 * /destinations/{dest}}, {@code /syncs/{sync}/edit}, {@code /syncs/new}.
 */
public final class WebUi {
  private static final Logger LOG = LoggerFactory.getLogger(WebUi.class);

  private final ApiBackend backend;
  private final Sessions sessions = new Sessions(Clock.systemUTC());
  private final Pages pages = new Pages();
  private final SyncPages syncPages;
  private final RunPage runPage;
  private final DestinationPage destinationPage;
  private final SyncEditor editor;

  private WebUi(ApiBackend backend) {
    this.backend = backend;
    this.syncPages = new SyncPages(backend);
    this.runPage = new RunPage(backend);
    this.destinationPage = new DestinationPage(backend);
    this.editor = new SyncEditor(backend);
  }

  /** Adds the UI's routes to {@code app}. */
  public static void mount(Javalin app, ApiBackend backend) {
    WebUi ui = new WebUi(backend);
    app.get("/login", ui::loginForm);
    app.post("/login", ui::login);
    app.post(
        "/logout",
        ui.action(
            (ctx, s) -> {
              ui.sessions.close(ctx);
              ctx.redirect("/login");
            }));
    app.get("/ui/static/{file}", ui::asset);
    app.get("/", ui.page(ui.syncPages::overview));
    app.get("/syncs/new", ui.page(ui.editor::create));
    app.post("/syncs/new", ui.action(ui.editor::saveNew));
    app.get("/syncs/{sync}/edit", ui.page(ui.editor::edit));
    app.post("/syncs/{sync}/edit", ui.action(ui.editor::saveEdit));
    app.post("/ui/preview", ui.action(ui.editor::preview));
    app.get("/destinations/{dest}/streams.json", ui.page(ui.editor::streamsJson));
    app.get("/syncs/{sync}", ui.page(ui.syncPages::sync));
    app.post("/syncs/{sync}/run", ui.action(ui::runNow));
    app.post("/syncs/{sync}/full-resync", ui.action(ui::fullResync));
    app.post("/syncs/{sync}/pause", ui.action((ctx, s) -> ui.pause(ctx, true)));
    app.post("/syncs/{sync}/resume", ui.action((ctx, s) -> ui.pause(ctx, false)));
    app.post("/runs/{run}/cancel", ui.action(ui::cancel));
    app.get("/runs/{run}", ui.page(ui.runPage::page));
    app.get("/runs/{run}/live.json", ui.page(ui.runPage::live));
    app.get("/runs/{run}/rows.{format}", ui.page(ui.runPage::exportRows));
    app.get("/runs/{run}/calls.{format}", ui.page(ui.runPage::exportCalls));
    app.get("/destinations/{dest}", ui.page(ui.destinationPage::page));
  }

  /** What a page handler gets: the request, and the page scope with the session's CSRF token. */
  interface PageHandler {
    void handle(Context ctx, View view) throws Exception;
  }

  /** Renders pages for one request, with what every page shows (CSRF token, nav). */
  final class View {
    private final Sessions.Session session;

    View(Sessions.Session session) {
      this.session = session;
    }

    void render(Context ctx, int status, String template, Map<String, Object> scope) {
      scope.put("csrf", session.csrf());
      scope.put("loginNeeded", backend.config().server().auth() != ServerConfig.Auth.NONE);
      scope.put("destinations", backend.config().destinations().keySet());
      pages.html(ctx, status, template, scope, backend.config().secretValues());
    }

    void notFound(Context ctx, String message) {
      render(ctx, 404, "error", Pages.scope("title", "Not found", "message", message));
    }

    void json(Context ctx, String contentType, String body) {
      ctx.contentType(contentType)
          .header("Cache-Control", "no-store")
          .result(Pages.scrub(body, backend.config().secretValues()));
    }
  }

  private Handler page(PageHandler handler) {
    return ctx -> {
      Optional<Sessions.Session> session = sessions.current(ctx, backend.config().server());
      if (session.isEmpty()) {
        if (ctx.path().endsWith(".json") || ctx.path().endsWith(".csv")) {
          ctx.attribute("rowstream.error-written", true);
          ctx.status(401).contentType("text/plain").result("log in at /login");
          return;
        }
        ctx.redirect(
            "/login?next="
                + URLEncoder.encode(
                    ctx.path()
                        + Optional.ofNullable(ctx.queryString()).map(q -> "?" + q).orElse(""),
                    StandardCharsets.UTF_8));
        return;
      }
      View view = new View(session.get());
      try {
        handler.handle(ctx, view);
      } catch (RunHistory.Busy e) {
        view.render(ctx, 409, "error", Pages.scope("title", "Busy", "message", e.getMessage()));
      }
    };
  }

  interface ActionHandler {
    void handle(Context ctx, View view) throws Exception;
  }

  private Handler action(ActionHandler handler) {
    return ctx -> {
      Optional<Sessions.Session> session = sessions.current(ctx, backend.config().server());
      if (session.isEmpty()) {
        ctx.attribute("rowstream.error-written", true);
        ctx.status(401).contentType("text/plain").result("log in at /login");
        return;
      }
      View view = new View(session.get());
      if (!Sessions.same(session.get().csrf(), ctx.formParam(Sessions.CSRF_FIELD))) {
        view.render(
            ctx,
            403,
            "error",
            Pages.scope(
                "title",
                "Forbidden",
                "message",
                "the form's CSRF token is missing or stale; reload the page and try again"));
        return;
      }
      handler.handle(ctx, view);
    };
  }

  private void loginForm(Context ctx) {
    if (backend.config().server().auth() == ServerConfig.Auth.NONE) {
      ctx.redirect("/");
      return;
    }
    loginPage(ctx, 200, null, ctx.queryParam("next"));
  }

  private void loginPage(Context ctx, int status, String error, String next) {
    String csrf = Sessions.randomToken();
    ctx.header("Set-Cookie", Sessions.cookie(Sessions.LOGIN_COOKIE, csrf, 600));
    pages.html(
        ctx,
        status,
        "login",
        Pages.scope("csrf", csrf, "error", error, "next", safeNext(next)),
        backend.config().secretValues());
  }

  private void login(Context ctx) {
    ServerConfig server = backend.config().server();
    if (!Sessions.same(ctx.cookie(Sessions.LOGIN_COOKIE), ctx.formParam(Sessions.CSRF_FIELD))) {
      loginPage(ctx, 403, "The login form expired; try again.", ctx.formParam("next"));
      return;
    }
    if (!Sessions.tokenMatches(server, ctx.formParam("token"))) {
      LOG.info("web UI: a login with a wrong token from {}", ctx.ip());
      loginPage(
          ctx,
          401,
          "That is not the server's API token (server.api_token).",
          ctx.formParam("next"));
      return;
    }
    sessions.open(ctx);
    ctx.redirect(safeNext(ctx.formParam("next")));
  }

  /** Only a path of this site, so the login cannot send the browser elsewhere. */
  static String safeNext(String next) {
    if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")) {
      return "/";
    }
    return next;
  }

  private void asset(Context ctx) {
    String name = ctx.pathParam("file");
    byte[] bytes = name.matches("[a-z0-9-]+\\.(css|js)") ? Pages.asset(name) : null;
    if (bytes == null) {
      ctx.attribute("rowstream.error-written", true);
      ctx.status(404).result("");
      return;
    }
    ctx.contentType(
            name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8")
        .header("Cache-Control", "max-age=300")
        .result(bytes);
  }

  private void runNow(Context ctx, View view) {
    trigger(ctx, view, RunOptions.DEFAULT);
  }

  /**
   * Forgets the delivered state and sends every row again, inside one run (confirmed in the page).
   */
  private void fullResync(Context ctx, View view) {
    trigger(ctx, view, RunOptions.FULL_RESYNC);
  }

  private void trigger(Context ctx, View view, RunOptions options) {
    String sync = ctx.pathParam("sync");
    if (!backend.config().syncs().containsKey(sync)) {
      view.notFound(ctx, "no sync named '" + sync + "'");
      return;
    }
    try {
      ScheduledRun run = backend.scheduler().trigger(sync, Trigger.API, options);
      ctx.redirect("/runs/" + run.runId());
    } catch (IllegalStateException | IllegalArgumentException e) {
      view.render(
          ctx, 409, "error", Pages.scope("title", "Cannot run " + sync, "message", e.getMessage()));
    }
  }

  private void pause(Context ctx, boolean paused) {
    String sync = ctx.pathParam("sync");
    backend.scheduler().setPaused(sync, paused);
    ctx.redirect("/syncs/" + URLEncoder.encode(sync, StandardCharsets.UTF_8));
  }

  private void cancel(Context ctx, View view) {
    String id = ctx.pathParam("run");
    Scheduler.Cancelled outcome = backend.scheduler().cancel(id, "cancelled in the web UI");
    if (outcome == Scheduler.Cancelled.DEQUEUED || outcome == Scheduler.Cancelled.REQUESTED) {
      ctx.redirect("/runs/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
      return;
    }
    view.render(
        ctx,
        409,
        "error",
        Pages.scope(
            "title", "Nothing to cancel", "message", "run '" + id + "' is not running or queued"));
  }
}
