# syntax=docker/dockerfile:1
# Build: docker build -t offboard --build-arg VERSION=$(git describe --always) .
# Run:   docker run -v offboard-data:/data -v $PWD/offboard.yml:/etc/offboard/offboard.yml:ro \
#          -e SLACK_APP_TOKEN -e SLACK_BOT_TOKEN -e GITHUB_TOKEN -p 9090:9090 offboard

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# cgo for SQLite (mattn/go-sqlite3); the final image has the glibc it links to.
RUN CGO_ENABLED=1 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/offboard . \
 && mkdir -p /out/data

# distroless/base: glibc, CA certificates and tzdata, no shell, runs as nonroot.
FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/offboard /usr/local/bin/offboard
COPY --from=build --chown=65532:65532 /out/data /data
ENV OFFBOARD_DB=/data/offboard.db \
    OFFBOARD_CONFIG=/etc/offboard/offboard.yml \
    OFFBOARD_HTTP_ADDR=0.0.0.0:9090
VOLUME ["/data"]
EXPOSE 9090
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/usr/local/bin/offboard", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/offboard"]
CMD ["run"]
