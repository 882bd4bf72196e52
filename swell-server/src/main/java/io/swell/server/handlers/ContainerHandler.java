package io.swell.server.handlers;

import io.swell.api.ContainerRecordResponse;
import io.swell.api.DescribeContainerResponse;
import io.swell.api.ServiceInfoResponse;
import io.swell.api.SubmitContainerTokenRequest;
import io.swell.core.store.ContainerRequestRecord;
import io.swell.core.request.ContainerRequestService;
import io.swell.core.request.ContainerRequestService.ApiVersion;
import io.swell.server.http.Exchange;

/**
 * The container request API: submit (v1 and v2), describe, record, status and revoke
 * ({@code ../shared/reference/wave-api.md} §1.3-1.6).
 */
public final class ContainerHandler {
    private final ContainerRequestService requests;
    private final BasicAuth admins;
    private final ServiceInfoResponse serviceInfo;

    public ContainerHandler(ContainerRequestService requests, BasicAuth admins, ServiceInfoResponse serviceInfo) {
        this.requests = requests;
        this.admins = admins;
        this.serviceInfo = serviceInfo;
    }

    public void serviceInfo(Exchange ex) {
        ex.json(200, serviceInfo);
    }

    public void health(Exchange ex) {
        ex.json(200, java.util.Map.of("status", "UP"));
    }

    public void submitV1(Exchange ex) {
        ex.json(200, requests.submit(ex.readJson(SubmitContainerTokenRequest.class), ApiVersion.V1, ex.clientIp()));
    }

    public void submitV2(Exchange ex) {
        ex.json(200, requests.submit(ex.readJson(SubmitContainerTokenRequest.class), ApiVersion.V2, ex.clientIp()));
    }

    /** {@code GET /container-token/{token}}: the legacy description. */
    public void describe(Exchange ex) {
        ContainerRequestRecord r = requests.find(ex.param(0));
        var request = new DescribeContainerResponse.RequestInfo(null, r.workspaceId(), r.containerImage(),
                r.containerConfig(), r.platform(), r.towerEndpoint(), r.fingerprint(), r.timestamp(), r.ipAddress());
        ex.json(200, new DescribeContainerResponse(r.token(), r.expiresAt(), request, null,
                new DescribeContainerResponse.ImageInfo(r.containerImage(), r.sourceDigest()),
                new DescribeContainerResponse.ImageInfo(r.targetImage(), r.waveDigest())));
    }

    /** {@code DELETE /container-token/{token}} (Basic auth): revokes the token. */
    public void revoke(Exchange ex) {
        admins.require(ex);
        requests.revoke(ex.param(0));
        ex.empty(200);
    }

    /** {@code GET /v1alpha2/container/{requestId}}: the persisted record. */
    public void record(Exchange ex) {
        ContainerRequestRecord r = requests.find(ex.param(0));
        ex.json(200, new ContainerRecordResponse(r.token(), null, r.workspaceId(), r.containerImage(),
                r.containerConfig(), r.platform(), r.towerEndpoint(), r.fingerprint(), r.timestamp(), r.ipAddress(),
                r.containerImage(), r.sourceDigest(), r.targetImage(), r.waveDigest(), r.expiresAt(), r.createdAt(),
                r.buildId(), null, r.freeze(), false));
    }

    /** {@code GET /v1alpha2/container/{requestId}/status}. */
    public void status(Exchange ex) {
        ex.json(200, requests.status(ex.param(0)));
    }
}
