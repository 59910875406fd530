using BindingService.AliyunSimulator;

// Standalone: dotnet run --project src/AliyunSimulator -- --urls http://127.0.0.1:5180 (see docs/simulator.md).
SimulatorApp.Create(args).Run();
