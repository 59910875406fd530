{{/*
The chart's name, truncated to the 63 characters Kubernetes allows in a name.
*/}}
{{- define "bindingservice.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The release's full name: <release>-<chart> unless the release name already contains the chart name.
*/}}
{{- define "bindingservice.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "bindingservice.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every object.
*/}}
{{- define "bindingservice.labels" -}}
helm.sh/chart: {{ include "bindingservice.chart" . }}
{{ include "bindingservice.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: bindingservice
{{- end }}

{{- define "bindingservice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bindingservice.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The API pods (the Deployment, Service, PDB and HPA select these; the migration job's pods differ).
*/}}
{{- define "bindingservice.apiSelectorLabels" -}}
{{ include "bindingservice.selectorLabels" . }}
app.kubernetes.io/component: api
{{- end }}

{{- define "bindingservice.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "bindingservice.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "bindingservice.secretName" -}}
{{- if .Values.secrets.create }}
{{- include "bindingservice.fullname" . }}
{{- else }}
{{- required "secrets.existingSecret is required when secrets.create is false" .Values.secrets.existingSecret }}
{{- end }}
{{- end }}

{{- define "bindingservice.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/*
Annotations that make the ConfigMap and Secret exist before the pre-install/pre-upgrade migration
job runs (a hook runs before the release's ordinary objects are created).
*/}}
{{- define "bindingservice.preMigrationHookAnnotations" -}}
{{- if .Values.migration.enabled -}}
"helm.sh/hook": pre-install,pre-upgrade
"helm.sh/hook-weight": "-10"
"helm.sh/hook-delete-policy": before-hook-creation
{{- end }}
{{- end }}

{{/*
The container environment shared by the API and the migration job: the ConfigMap, the secret
values, and the PostgreSQL connection string assembled from both ($(VAR) is expanded by Kubernetes).
*/}}
{{- define "bindingservice.env" -}}
{{- $pg := .Values.config.postgres }}
{{- $connection := printf "Host=%s;Port=%v;Database=%s;Username=%s" $pg.host $pg.port $pg.database $pg.username }}
{{- with $pg.options }}
{{- $connection = printf "%s;%s" $connection . }}
{{- end -}}
envFrom:
  - configMapRef:
      name: {{ include "bindingservice.fullname" . }}
env:
  # The password comes from the mounted Secret (Database__Password); the service puts it into the connection string.
  - name: ConnectionStrings__Postgres
    value: {{ $connection | quote }}
  # Every secret is a file in this directory (bindingservice.secretVolume), read at start-up; none is an env var.
  - name: BINDINGSERVICE_SECRETS_DIR
    value: /etc/bindingservice/secrets
{{- with .Values.secrets.activePhoneEncryptionKeyId }}
  - name: Security__ActivePhoneEncryptionKeyId
    value: {{ . | quote }}
{{- end }}
{{- with .Values.secrets.activePhoneHashKeyVersion }}
  - name: Security__ActivePhoneHashKeyVersion
    value: {{ . | quote }}
{{- end }}
{{- end }}

{{/* The Secret as files, each named as the setting it holds (src/Api/Infrastructure/SecretFiles.cs). */}}
{{- define "bindingservice.secretVolume" -}}
- name: secrets
  secret:
    secretName: {{ include "bindingservice.secretName" . }}
    defaultMode: 0440
    items:
      - key: postgres-password
        path: Database__Password
      - key: rabbitmq-password
        path: RabbitMq__Password
      - key: aliyun-access-key-secret
        path: Aliyun__AccessKeySecret
      {{- if .Values.secrets.legacyPhoneKeys }}
      - key: phone-encryption-key
        path: Security__PhoneEncryptionKey
      - key: phone-hash-key
        path: Security__PhoneHashKey
      {{- end }}
      {{- range $id, $_ := .Values.secrets.phoneEncryptionKeys }}
      - key: phone-encryption-key-{{ $id }}
        path: Security__PhoneEncryptionKeys__{{ $id }}
      {{- end }}
      {{- range $version, $_ := .Values.secrets.phoneHashKeys }}
      - key: phone-hash-key-{{ $version }}
        path: Security__PhoneHashKeys__{{ $version }}
      {{- end }}
      {{- if .Values.secrets.receiptsSecret }}
      - key: receipts-secret
        path: Receipts__Secret
      {{- end }}
{{- end }}

{{- define "bindingservice.secretMount" -}}
- name: secrets
  mountPath: /etc/bindingservice/secrets
  readOnly: true
{{- end }}
