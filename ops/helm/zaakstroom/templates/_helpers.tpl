{{/*
Names, labels and the pieces every Zaakstroom pod shares. Components: api, projector,
notifier, webhooks, migrations.
*/}}

{{- define "zaakstroom.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's base name; components append "-<component>" (so 52 characters). */}}
{{- define "zaakstroom.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* dict "root" $ "component" "api" -> <fullname>-api */}}
{{- define "zaakstroom.componentName" -}}
{{- printf "%s-%s" (include "zaakstroom.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "zaakstroom.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "zaakstroom.selectorLabels" -}}
app.kubernetes.io/name: {{ include "zaakstroom.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "zaakstroom.labels" -}}
helm.sh/chart: {{ include "zaakstroom.chart" . }}
{{ include "zaakstroom.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: zaakstroom
{{- end }}

{{/* dict "root" $ "component" "api" */}}
{{- define "zaakstroom.componentSelectorLabels" -}}
{{ include "zaakstroom.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "zaakstroom.componentLabels" -}}
{{ include "zaakstroom.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "zaakstroom.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* The Secret the pods read DATABASE_URL, ZAAKSTROOM_SECRET_KEY, ... from. */}}
{{- define "zaakstroom.secretName" -}}
{{- .Values.existingSecret | default (include "zaakstroom.fullname" .) }}
{{- end }}

{{/* The pods' service account: named, created, or the namespace's default. */}}
{{- define "zaakstroom.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- .Values.serviceAccount.name | default (include "zaakstroom.fullname" .) }}
{{- else }}
{{- .Values.serviceAccount.name | default "default" }}
{{- end }}
{{- end }}

{{/*
The data of the chart's Secret: shared by the release's Secret and the migration hook's
copy of it (which must exist before the release's resources do).
*/}}
{{- define "zaakstroom.secretData" -}}
{{- $key := required "secretKey is required (or existingSecret): 64 hex characters, openssl rand -hex 32" .Values.secretKey }}
{{- if not (regexMatch "^[0-9a-fA-F]{64}$" $key) }}
{{- fail "secretKey must be 64 hex characters (openssl rand -hex 32)" }}
{{- end }}
DATABASE_URL: {{ required "postgresql.url is required (or existingSecret): postgres://USER:PASSWORD@HOST:5432/zaakstroom?sslmode=require" .Values.postgresql.url | b64enc | quote }}
ZAAKSTROOM_SECRET_KEY: {{ $key | b64enc | quote }}
{{- with .Values.kurrentdb.url }}
EVENTSTORE_URL: {{ . | b64enc | quote }}
{{- end }}
{{- range $name, $value := .Values.secretEnv }}
{{ $name }}: {{ $value | toString | b64enc | quote }}
{{- end }}
{{- end }}

{{/*
Refuses what would only fail at run time: inline secrets in the setup file (a ConfigMap),
and secretEnv names the chart's Secret does not hold.
*/}}
{{- define "zaakstroom.validateSetup" -}}
{{- $setup := .Values.setup | default dict }}
{{- range $section := list "clients" "services" }}
{{- range $i, $entry := (get $setup $section | default list) }}
{{- if hasKey $entry "secret" }}
{{- fail (printf "setup.%s[%d]: give secretEnv (a variable of the Secret), not secret: the setup file is stored in a ConfigMap" $section $i) }}
{{- end }}
{{- $env := get $entry "secretEnv" }}
{{- if and (not $.Values.existingSecret) $env (not (hasKey ($.Values.secretEnv | default dict) $env)) }}
{{- fail (printf "setup.%s[%d] names secretEnv %s, which secretEnv does not define" $section $i $env) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* dict "root" $ "component" "api": the environment every Zaakstroom container gets. */}}
{{- define "zaakstroom.env" -}}
{{- $v := .root.Values }}
{{- $component := get $v .component | default dict }}
- name: ZAAKSTROOM_PUBLIC_URL
  value: {{ required "config.publicUrl is required: the base of every URL the APIs hand out (e.g. https://zaken.example.nl)" $v.config.publicUrl | quote }}
- name: ZAAKSTROOM_TENANT
  value: {{ $v.config.tenant | quote }}
- name: ZAAKSTROOM_LOG_FORMAT
  value: {{ $v.config.logFormat | quote }}
- name: RUST_LOG
  value: {{ $v.config.rustLog | quote }}
- name: ZAAKSTROOM_READY_MAX_LAG_SECONDS
  value: {{ $v.config.readyMaxLagSeconds | quote }}
- name: ZAAKSTROOM_READ_YOUR_WRITES_MS
  value: {{ $v.config.readYourWritesMs | quote }}
- name: ZAAKSTROOM_DB_POOL_SIZE
  value: {{ get $component "dbPoolSize" | default $v.config.dbPoolSize | quote }}
- name: ZAAKSTROOM_DB_ACQUIRE_TIMEOUT_MS
  value: {{ $v.config.dbAcquireTimeoutMs | quote }}
- name: ZAAKSTROOM_CONTENT_DIR
  value: /var/lib/zaakstroom/content
{{- with $v.content.url }}
- name: ZAAKSTROOM_CONTENT_URL
  value: {{ . | quote }}
{{- end }}
{{- with $v.nats.url }}
- name: NATS_URL
  value: {{ . | quote }}
{{- end }}
{{- with $v.config.selectielijstUrl }}
- name: ZAAKSTROOM_SELECTIELIJST_URL
  value: {{ . | quote }}
{{- end }}
{{- if $v.config.publishRequiresTypes }}
- name: ZAAKSTROOM_PUBLISH_REQUIRES_TYPES
  value: "true"
{{- end }}
{{- with $v.otel.endpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
- name: OTEL_EXPORTER_OTLP_PROTOCOL
  value: {{ $v.otel.protocol | quote }}
- name: OTEL_SERVICE_NAME
  value: {{ printf "zaakstroom-%s" $.component | quote }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ printf "service.namespace=%s,service.instance.id=$(POD_NAME)" $.root.Release.Namespace | quote }}
{{- end }}
{{- with $v.config.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- with get $component "extraEnv" }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
dict "root" $ "component" "api" ["secret" NAME]: the container's image, securityContext and
environment (the Secret's variables, then the chart's); callers append to env.
*/}}
{{- define "zaakstroom.containerBase" -}}
image: {{ include "zaakstroom.image" .root | quote }}
imagePullPolicy: {{ .root.Values.image.pullPolicy }}
securityContext:
  {{- toYaml .root.Values.securityContext | nindent 2 }}
envFrom:
  - secretRef:
      name: {{ get . "secret" | default (include "zaakstroom.secretName" .root) }}
env:
  - name: POD_NAME
    valueFrom:
      fieldRef:
        fieldPath: metadata.name
  {{- include "zaakstroom.env" . | trim | nindent 2 }}
{{- end }}

{{/* dict "root" $ "component" "api": the pod spec's shared fields. */}}
{{- define "zaakstroom.podBase" -}}
{{- $v := .root.Values }}
serviceAccountName: {{ include "zaakstroom.serviceAccountName" .root }}
automountServiceAccountToken: false
{{- with $v.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml $v.podSecurityContext | nindent 2 }}
{{- end }}

{{/*
dict "root" $ "component" "api": pod template annotations, so that a changed Secret (the
chart's) or setup file (read by the API pods only) rolls the pods; Prometheus' scrape
annotations (every role serves /metrics on :8000; `metricsAnnotations` of its component).
*/}}
{{- define "zaakstroom.podAnnotations" -}}
{{- if not .root.Values.existingSecret }}
checksum/secret: {{ include "zaakstroom.secretData" .root | sha256sum }}
{{- end }}
{{- if eq .component "api" }}
checksum/setup: {{ toYaml (.root.Values.setup | default dict) | sha256sum }}
{{- end }}
{{- if (get .root.Values .component).metricsAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: "8000"
prometheus.io/path: /metrics
{{- end }}
{{- with .root.Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* dict "root" $ "component" "api" */}}
{{- define "zaakstroom.podLabels" -}}
{{ include "zaakstroom.componentLabels" . }}
{{- with .root.Values.podLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* dict "root" $ "component" "api": nodeSelector, tolerations, affinity of the component. */}}
{{- define "zaakstroom.scheduling" -}}
{{- $component := get .root.Values .component | default dict }}
{{- with get $component "nodeSelector" }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with get $component "tolerations" }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with get $component "affinity" }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
A worker Deployment (projector, notifier, webhooks): `serve` with one role, listening on
:8000 for /healthz, /readyz and /metrics only; no probes (see below). dict "root" $
"component" "projector" "replicas" 1 "strategy" "Recreate"
*/}}
{{- define "zaakstroom.workerDeployment" -}}
{{- $v := get .root.Values .component }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "zaakstroom.componentName" . }}
  labels:
    {{- include "zaakstroom.componentLabels" . | nindent 4 }}
spec:
  replicas: {{ .replicas }}
  revisionHistoryLimit: 5
  strategy:
    type: {{ .strategy }}
  selector:
    matchLabels:
      {{- include "zaakstroom.componentSelectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "zaakstroom.podLabels" . | trim | nindent 8 }}
      {{- with include "zaakstroom.podAnnotations" . | trim }}
      annotations:
        {{- . | nindent 8 }}
      {{- end }}
    spec:
      {{- include "zaakstroom.podBase" . | trim | nindent 6 }}
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      containers:
        - name: {{ .component }}
          {{- include "zaakstroom.containerBase" . | trim | nindent 10 }}
            - name: ZAAKSTROOM_ROLES
              value: {{ .component | quote }}
            - name: ZAAKSTROOM_LISTEN
              value: "0.0.0.0:8000"
          args: ["serve"]
          # /metrics (and /healthz, /readyz) of this role, for Prometheus. No probes: a
          # liveness probe would see the HTTP server answer, not whether the worker
          # follows the log, and no Service routes here. Kubernetes restarts the container
          # when the process exits; a stall shows as lag in /metrics
          # (zaakstroom_projection_lag_seconds, zaakstroom_webhook_lag_seconds) and, for
          # the projector, in the API pods' /readyz.
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        # The content store is opened at start-up but never written by this role: the
        # image's empty directory suffices under the read-only root filesystem.
        - name: tmp
          emptyDir: {}
      {{- with include "zaakstroom.scheduling" . | trim }}{{ . | nindent 6 }}{{- end }}
{{- end }}

{{/*
A container of the migration Job. dict "root" $ "secret" NAME: the hook's Secret copy, or
existingSecret.
*/}}
{{- define "zaakstroom.migrationContainer" -}}
{{ include "zaakstroom.containerBase" (dict "root" .root "component" "migrations" "secret" .secret) }}
resources:
  {{- toYaml .root.Values.migrations.resources | nindent 2 }}
volumeMounts:
  - name: tmp
    mountPath: /tmp
  {{- if .root.Values.setup }}
  - name: setup
    mountPath: /etc/zaakstroom
    readOnly: true
  {{- end }}
{{- end }}
