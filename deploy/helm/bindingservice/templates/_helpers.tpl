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
{{- $connection := printf "Host=%s;Port=%v;Database=%s;Username=%s;Password=$(BINDINGSERVICE_POSTGRES_PASSWORD)" $pg.host $pg.port $pg.database $pg.username }}
{{- with $pg.options }}
{{- $connection = printf "%s;%s" $connection . }}
{{- end -}}
envFrom:
  - configMapRef:
      name: {{ include "bindingservice.fullname" . }}
env:
  - name: BINDINGSERVICE_POSTGRES_PASSWORD
    valueFrom:
      secretKeyRef:
        name: {{ include "bindingservice.secretName" . }}
        key: postgres-password
  - name: ConnectionStrings__Postgres
    value: {{ $connection | quote }}
  - name: RabbitMq__Password
    valueFrom:
      secretKeyRef:
        name: {{ include "bindingservice.secretName" . }}
        key: rabbitmq-password
  - name: Aliyun__AccessKeySecret
    valueFrom:
      secretKeyRef:
        name: {{ include "bindingservice.secretName" . }}
        key: aliyun-access-key-secret
{{- if .Values.secrets.legacyPhoneKeys }}
  - name: Security__PhoneEncryptionKey
    valueFrom:
      secretKeyRef:
        name: {{ include "bindingservice.secretName" . }}
        key: phone-encryption-key
  - name: Security__PhoneHashKey
    valueFrom:
      secretKeyRef:
        name: {{ include "bindingservice.secretName" . }}
        key: phone-hash-key
{{- end }}
{{- range $id, $_ := .Values.secrets.phoneEncryptionKeys }}
  - name: Security__PhoneEncryptionKeys__{{ $id }}
    valueFrom:
      secretKeyRef:
        name: {{ include "bindingservice.secretName" $ }}
        key: phone-encryption-key-{{ $id }}
{{- end }}
{{- range $version, $_ := .Values.secrets.phoneHashKeys }}
  - name: Security__PhoneHashKeys__{{ $version }}
    valueFrom:
      secretKeyRef:
        name: {{ include "bindingservice.secretName" $ }}
        key: phone-hash-key-{{ $version }}
{{- end }}
{{- with .Values.secrets.activePhoneEncryptionKeyId }}
  - name: Security__ActivePhoneEncryptionKeyId
    value: {{ . | quote }}
{{- end }}
{{- with .Values.secrets.activePhoneHashKeyVersion }}
  - name: Security__ActivePhoneHashKeyVersion
    value: {{ . | quote }}
{{- end }}
{{- end }}
