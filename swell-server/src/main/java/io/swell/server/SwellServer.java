package io.swell.server;

import io.swell.api.ServiceInfoResponse;
import io.swell.build.local.BuildahBuildStrategy;
import io.swell.build.local.BuildahSettings;
import io.swell.core.build.BuildService;
import io.swell.core.build.BuildSettings;
import io.swell.core.build.PushTarget;
import io.swell.core.images.BuiltinImageStore;
import io.swell.core.inspect.InspectService;
import io.swell.core.proxy.BlobCache;
import io.swell.core.proxy.ProxyService;
import io.swell.core.proxy.UpstreamManifests;
import io.swell.core.mirror.ImageCopier;
import io.swell.core.request.BuildRequests;
import io.swell.core.request.MirrorRequests;
import io.swell.core.metrics.UsageMetrics;
import io.swell.core.ratelimit.RateLimits;
import io.swell.core.request.ContainerIncludes;
import io.swell.core.request.ContainerRequestService;
import io.swell.core.request.LayerFetcher;
import io.swell.core.request.TokenGenerator;
import io.swell.registry.CredentialsValidator;
import io.swell.registry.RegistryClient;
import io.swell.registry.RegistryEndpoints;
import io.swell.server.config.ConfiguredCredentials;
import io.swell.server.config.SwellConfig;
import io.swell.oci.ImageRef;
import io.swell.server.handlers.BasicAuth;
import io.swell.server.handlers.BuildHandler;
import io.swell.server.handlers.MetricsHandler;
import io.swell.server.handlers.MirrorHandler;
import io.swell.server.handlers.ContainerHandler;
import io.swell.server.handlers.InspectHandler;
import io.swell.server.handlers.RegistryHandler;
import io.swell.server.handlers.ValidateCredsHandler;
import io.swell.server.views.ViewHandler;
import io.swell.server.http.ErrorMapper;
import io.swell.server.http.Router;
import io.swell.server.http.Router.Route;
import io.swell.store.jdbc.Database;
import io.swell.store.jdbc.EmbeddedDatabase;
import io.swell.store.jdbc.PostgresDatabase;
import io.swell.store.jdbc.FileContentStore;
import io.swell.store.jdbc.FileLogStore;
import io.swell.store.jdbc.JdbcBuildStore;
import io.swell.store.jdbc.JdbcUsageCounterStore;
import io.swell.store.jdbc.JdbcImageTagStore;
import io.swell.store.jdbc.JdbcContainerRequestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Executors;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: builds every service once from the config and serves them with Jetty. */
public final class SwellServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SwellServer.class);
    /** Wave API level implemented (what {@code /service-info} reports as {@code version}). */
    public static final String WAVE_API_VERSION = "1.37.0";

    private final SwellConfig config;
    private final Server jetty;
    private final HttpClient http;
    private final Database database;
    private final BuildService builds;
    private final UsageMetrics metrics;

    private SwellServer(SwellConfig config, Server jetty, HttpClient http, Database database,
            BuildService builds, UsageMetrics metrics) {
        this.config = config;
        this.jetty = jetty;
        this.http = http;
        this.database = database;
        this.builds = builds;
        this.metrics = metrics;
    }

    /** Builds and starts a server. */
    public static SwellServer start(SwellConfig config) throws Exception {
        Path data = config.dataDir().toAbsolutePath();
        Files.createDirectories(data);
        HttpClient http = new HttpClient();
        http.setFollowRedirects(false);
        http.setConnectTimeout(20_000);
        http.setIdleTimeout(120_000);
        http.setMaxConnectionsPerDestination(256);
        http.setExecutor(virtualThreads("swell-client"));
        http.start();

        Database database = null;
        Assembled parts = null;
        try {
            var store = config.store();
            database = store.url() == null ? EmbeddedDatabase.open(data.resolve("db"))
                    : PostgresDatabase.open(store.url(), store.user(), store.password(), store.maxConnections());
            parts = assemble(config, data, http, database);
            parts.jetty().start();
            logStarted(config, parts.jetty(), data);
            return new SwellServer(config, parts.jetty(), http, database, parts.builds(), parts.metrics());
        } catch (Exception | Error e) {
            // Release what was opened, so a failed start (e.g. the port is taken) leaves nothing running.
            if (parts != null) {
                parts.builds().close();
                parts.jetty().stop();
                parts.metrics().close();
            }
            if (database != null) {
                database.close();
            }
            http.stop();
            throw e;
        }
    }

    /** The server and the services that need stopping with it. */
    private record Assembled(Server jetty, BuildService builds, UsageMetrics metrics) {}

    private static Assembled assemble(SwellConfig config, Path data, HttpClient http, Database database) {
        var requestStore = new JdbcContainerRequestStore(database.dataSource());
        var content = new FileContentStore(data.resolve("content"));
        var endpoints = new RegistryEndpoints(new HashSet<>(config.insecureRegistries()), config.allowedRegistries());
        // Builds push with the same configured credentials the proxy pulls with.
        var credentials = ConfiguredCredentials.from(config);
        var registry = new RegistryClient(http, endpoints, credentials);
        var upstream = new UpstreamManifests(registry, config.proxy().tagCacheTtl(), 64L << 20);
        var blobCache = new BlobCache(data.resolve("blob-cache"),
                config.proxy().blobCacheEnabled() ? config.proxy().blobCacheMaxBytes() : 0);
        var builtin = new BuiltinImageStore(config.serverHost(), content,
                new JdbcImageTagStore(database.dataSource()));
        // Builds may use the configured credentials for base images, as pulls through the proxy do.
        var strategy = new BuildahBuildStrategy(BuildahSettings.under(data)
                .withStorageDriver(config.build().storageDriver())
                .withInsecureRegistries(config.insecureRegistries())
                .withSingularityBinary(config.build().singularityBinary())
                .withStorageMaxBytes(config.build().storageMaxBytes()), credentials.all());
        var limits = new RateLimits(config.rateLimit().pull(), config.rateLimit().build());
        var metrics = config.metricsEnabled()
                ? UsageMetrics.enabled(new JdbcUsageCounterStore(database.dataSource()), Clock.systemUTC(),
                        Duration.ofSeconds(5))
                : UsageMetrics.disabled();
        var builds = new BuildService(new JdbcBuildStore(database.dataSource()), new FileLogStore(data.resolve("logs")),
                strategy, Clock.systemUTC(), new BuildSettings(data.resolve("builds"), config.build().maxConcurrent(),
                        config.build().timeout(), config.build().failureRetention()), limits, metrics);
        builds.onSuccess((record, target) -> {
            if (target instanceof PushTarget.Layout layout) {
                ImageRef image = ImageRef.parse(record.targetImage());
                builtin.importLayout(layout.directory(), layout.tag(), image.repository());
            }
        });
        int recovered = builds.recover();
        if (recovered > 0) {
            LOG.warn("{} build(s) were running when Swell stopped; they are marked failed", recovered);
        }
        var proxy = new ProxyService(requestStore, content, registry, upstream, blobCache, builtin, builds,
                limits, metrics, Clock.systemUTC());
        var layers = new LayerFetcher(content, http, registry, new LayerFetcher.LayerLimits(
                config.layers().maxLocationChars(), config.layers().maxLayerBytes(),
                config.layers().allowPrivateHosts()));
        var buildRequests = new BuildRequests(builds, builtin, registry, layers, content, credentials, endpoints,
                new BuildRequests.Limits(config.build().repository(), config.build().maxContainerFileChars(),
                        data.resolve("layouts"), data.resolve("contexts")));
        var mirrorRequests = new MirrorRequests(builds, new ImageCopier(registry), registry);
        var requests = new ContainerRequestService(requestStore, proxy, buildRequests, mirrorRequests, builds, layers,
                new ContainerIncludes(registry), limits, new TokenGenerator(), Clock.systemUTC(), config.serverUrl().toString(), config.serverHost(),
                config.tokenLifetime());

        var info = new ServiceInfoResponse(new ServiceInfoResponse.ServiceInfo(WAVE_API_VERSION,
                BuildInfo.commit(), BuildInfo.version()));
        var container = new ContainerHandler(requests, new BasicAuth(config.accounts()), info);
        var registryHandler = new RegistryHandler(proxy);
        var buildHandler = new BuildHandler(builds);
        var mirrorHandler = new MirrorHandler(builds);
        var metricsHandler = new MetricsHandler(metrics, new BasicAuth(config.accounts()));
        var views = new ViewHandler(builds, requests);
        var inspect = new InspectHandler(new InspectService(registry, upstream, endpoints));
        var validateCreds = new ValidateCredsHandler(new CredentialsValidator(http, endpoints,
                config.validateCreds().allowPrivateHosts()));
        List<Route> routes = List.of(
                Route.of("GET,HEAD", "/v2/?", registryHandler::base),
                Route.of("GET,HEAD", "/v2/(.+)", registryHandler::handle),
                Route.of("GET", "/service-info", container::serviceInfo),
                Route.of("GET", "/health", container::health),
                Route.of("POST", "/v1alpha2/container", container::submitV2),
                Route.of("POST", "/container-token", container::submitV1),
                Route.of("GET", "/container-token/([^/]+)", container::describe),
                Route.of("DELETE", "/container-token/([^/]+)", container::revoke),
                Route.of("GET", "/v1alpha2/container/([^/]+)", container::record),
                Route.of("GET", "/v1alpha2/container/([^/]+)/status", container::status),
                Route.of("GET", "/v1alpha1/builds/([^/]+)", buildHandler::record),
                Route.of("GET", "/v1alpha1/builds/([^/]+)/status", buildHandler::status),
                Route.of("GET", "/v1alpha1/builds/([^/]+)/logs", buildHandler::logs),
                Route.of("GET", "/v1alpha1/builds/([^/]+)/condalock", buildHandler::condaLock),
                Route.of("GET", "/v1alpha1/mirrors/([^/]+)", mirrorHandler::record),
                Route.of("GET", "/view/builds/([^/]+)", views::build),
                Route.of("GET", "/view/containers/([^/]+)", views::container),
                Route.of("GET", "/view/mirrors/([^/]+)", views::mirror),
                Route.of("GET", "/v1alpha2/metrics/(.+)", metricsHandler::v2),
                Route.of("GET", "/v1alpha3/metrics/(.+)", metricsHandler::v3),
                Route.of("GET", "/v1alpha1/mirrors/([^/]+)/logs", mirrorHandler::logs),
                Route.of("POST", "/v1alpha1/inspect", inspect::inspect),
                Route.of("POST", "/v1alpha2/validate-creds", validateCreds::validate),
                Route.of("POST", "/validate-creds", validateCreds::validate));

        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("swell");
        threads.setVirtualThreadsExecutor(virtualThreads("swell-request"));
        Server jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(config.bindAddress());
        connector.setPort(config.port());
        // Pulls held while a build runs may wait many minutes.
        connector.setIdleTimeout(30 * 60_000L);
        jetty.addConnector(connector);
        jetty.setHandler(new Router(routes, new ErrorMapper()));
        jetty.setStopTimeout(5_000);
        return new Assembled(jetty, builds, metrics);
    }

    private static void logStarted(SwellConfig config, Server jetty, Path data) {
        ServerConnector connector = (ServerConnector) jetty.getConnectors()[0];
        LOG.info("Swell {} listening on {}:{}, images named {}/wt/..., data in {}", BuildInfo.version(),
                config.bindAddress(), connector.getLocalPort(), config.serverHost(), data);
    }

    private static java.util.concurrent.Executor virtualThreads(String name) {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-", 0).factory());
    }

    /** The port actually bound (useful when the config asked for port 0). */
    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    public SwellConfig config() {
        return config;
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    /** Stops builds first (their held pulls are then answered), then the server, the client and the database. */
    @Override
    public void close() {
        closeQuietly("builds", builds::close);
        closeQuietly("HTTP server", jetty::stop);
        closeQuietly("HTTP client", http::stop);
        closeQuietly("usage metrics", metrics::close);
        closeQuietly("database", database::close);
    }

    private static void closeQuietly(String what, ThrowingRunnable step) {
        try {
            step.run();
        } catch (Exception e) {
            LOG.warn("Stopping the {} failed: {}", what, e.toString());
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
