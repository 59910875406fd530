namespace BindingService.AliyunSimulator.Responses;

/// <summary>The common <c>Format</c> parameter: JSON by default for this product (docs/provider-rules.md, 'Requests and responses'), or XML.</summary>
public enum ResponseFormat
{
    Json,
    Xml,
}
