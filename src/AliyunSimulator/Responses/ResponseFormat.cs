namespace BindingService.AliyunSimulator.Responses;

/// <summary>The common <c>Format</c> parameter: JSON by default for this product (API-DIGEST §1.3), or XML.</summary>
public enum ResponseFormat
{
    Json,
    Xml,
}
